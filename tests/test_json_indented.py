"""The fast indented JSON writer gives exactly the standard library's bytes (reports stay byte for byte the same)."""

from __future__ import annotations

import enum
import json
import math

import numpy as np
import pytest

from coverage_planner.model.messages import Both, Message
from coverage_planner.render.json_indented import indented_json


def reference(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True, default=str)


class Level(enum.IntEnum):
    HIGH = 3


def _random_doc(rng: np.random.Generator, depth: int) -> object:
    plain = [
        "街道", "a\nb", 'quote " and \\ back', "\x00\x1f\u2028", "", "}", ",\n  ", 0, -7, 2**70, 1.5, -0.0, 1e-300,
        1e22, math.nan, math.inf, -math.inf, True, False, None, np.float64(0.1), np.int64(5), np.bool_(True),
        Level.HIGH, Message("err.none"), (1, "x"),
    ]
    pick = rng.integers(0, 4 if depth < 4 else 1)
    if pick == 0:
        return plain[rng.integers(len(plain))]
    n = int(rng.integers(0, 5))
    if pick == 1:
        return [_random_doc(rng, depth + 1) for _ in range(n)]
    if pick == 2:
        return tuple(_random_doc(rng, depth + 1) for _ in range(n))
    keys: list[object] = ["b", "a", "名", "z1", "", " "]
    return {str(keys[int(rng.integers(len(keys)))]) + str(i): _random_doc(rng, depth + 1) for i in range(n)}


@pytest.mark.parametrize("seed", range(300))
def test_random_documents_match_the_standard_library(seed: int) -> None:
    doc = _random_doc(np.random.default_rng(seed), 0)
    assert indented_json(doc) == reference(doc)


@pytest.mark.parametrize("doc", [
    {}, [], (), "x", 1, None, 2.5, [[]], {"a": {}}, [{}], {"k": [1, [2, {"z": None, "a": [True]}]]},
    {2: "int key", 1: "int key"}, {1.5: "float key", math.inf: [1]}, {True: "bool key", False: {"a": []}},
    {None: "none key"}, {"n": {2: 1, 1: {}}},
    {"plain": 1, "unit": {"name": "甲", "value": 0.3333333333333333}, "list": [{"a": 1}, {"b": 2}, 3]},
    [Both("en", "zh"), {"m": Message("err.none")}],
])
def test_edge_documents_match_the_standard_library(doc: object) -> None:
    assert indented_json(doc) == reference(doc)


def test_unknown_values_go_through_default() -> None:
    doc = {"set": {1}, "arr": [np.arange(2)], "ok": 1}
    assert indented_json(doc) == reference(doc)
    assert indented_json({"a": object()}, default=lambda o: "X") == '{\n  "a": "X"\n}'


def test_bad_keys_are_refused_like_the_standard_library() -> None:
    with pytest.raises(TypeError):
        reference({(1, 2): "tuple key", "a": [1]})
    with pytest.raises(TypeError):
        indented_json({(1, 2): "tuple key", "a": [1]})
    for mixed in ({1: "a", "b": 2}, {1: "a", "b": [2]}):  # keys that do not sort together
        with pytest.raises(TypeError):
            reference(mixed)
        with pytest.raises(TypeError):
            indented_json(mixed)
