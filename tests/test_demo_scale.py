"""The demo city goes up to scale 6 (scale 5.1: about 500,000 walking nodes); beyond, a clear refusal."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from coverage_planner.cli.main import cli
from coverage_planner.errors import ManifestError
from coverage_planner.sources.demo import MAX_DEMO_SCALE, generate_demo_city
from coverage_planner.studies.check import _demo_spec


def test_metropolis_scales_are_accepted_everywhere() -> None:
    assert MAX_DEMO_SCALE >= 5.1
    assert _demo_spec("demo:5.1", None) == (5.1, None)
    assert _demo_spec("demo", MAX_DEMO_SCALE) == (MAX_DEMO_SCALE, None)


def test_beyond_the_largest_scale_is_refused(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(ManifestError, match="0.001 to 6"):
        _demo_spec("demo:6.5", None)
    with pytest.raises(ValueError, match="0.001 to 6"):
        generate_demo_city(tmp_path, scale=6.5)
    result = CliRunner().invoke(cli, ["check", "--demo-scale", "6.5"])
    assert result.exit_code == 2
    assert "6.5" in result.output and "Traceback" not in result.output
