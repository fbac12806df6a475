"""Real data in: boundaries, OpenStreetMap networks and facilities, WorldPop population, layer-set manifests.

Modules: :mod:`.download` (the one downloader), :mod:`.boundaries`, :mod:`.osm`, :mod:`.facilities`
(OSM tags -> facility roles, mapping in ``osm_facility_tags.yaml``), :mod:`.worldpop`,
:mod:`.manifest_writer`, :mod:`.shared` (the Zhengzhou layer set from ``../shared/data``) and
:mod:`.pipeline` (``coverage fetch``).
"""
