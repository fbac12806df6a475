"""Outputs of the main commands on a small demo city are byte-identical to the golden digests.

The digests were written by the code before the library restructuring (issue 16); a change that means
to alter an output regenerates them on purpose (``python tests/golden/outputs.py --update``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

from outputs import digests, read_golden  # noqa: E402


def test_outputs_match_golden_digests(tmp_path: Path) -> None:
    want = read_golden()
    got = digests(tmp_path)
    assert sorted(got) == sorted(want), "a different set of files was written"
    changed = sorted(name for name in want if got[name] != want[name])
    assert not changed, f"outputs differ from the golden digests: {changed}"
