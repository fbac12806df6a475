"""The plan scenarios (one YAML file per year, ``examples/``), installed as package data.

This folder is the package ``coverage_planner.scenarios``; read it through ``importlib.resources``.
"""
