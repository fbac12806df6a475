"""Every output of the main commands on a small demo city, reduced to SHA-256 digests.

The golden file ``demo-0.05.sha256`` holds what the code wrote before the library restructuring
(issue 16). A change that *means* to alter an output regenerates it on purpose and says why in its
commit::

    python tests/golden/outputs.py --update

Run by ``tests/test_golden.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "demo-0.05.sha256"
SCALE = "0.05"
#: (output name, CLI arguments after the command); {out} is the output path.
RUNS: list[tuple[str, list[str]]] = [
    ("check.json", ["check", "-s", "2025", "--format", "json", "--out", "{out}"]),
    ("check.csv", ["check", "-s", "2025", "--format", "csv", "--out", "{out}"]),
    ("check.md", ["check", "-s", "2025", "--format", "md", "--out", "{out}"]),
    ("check.txt", ["check", "-s", "2025", "--format", "text", "--out", "{out}"]),
    ("check-zh.txt", ["check", "-s", "2025", "--format", "text", "--lang", "zh", "--out", "{out}"]),
    ("check.xlsx", ["check", "-s", "2025", "--format", "xlsx", "--out", "{out}"]),
    ("check-zh.xlsx", ["check", "-s", "2025", "--format", "xlsx", "--lang", "zh", "--out", "{out}"]),
    ("brief.html", ["check", "-s", "2025", "--format", "brief", "--out", "{out}"]),
    ("maps", ["map", "-s", "2025", "--tiles", "none", "--out", "{out}"]),
]


def _exe() -> str:
    return str(Path(sys.executable).with_name("coverage-planner"))


def _normalised(name: str, data: bytes) -> bytes:
    if name.endswith(".json"):  # the demo city's cache folder differs between machines
        doc = json.loads(data)
        doc["layer_set"]["path"] = "<demo>"
        return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False).encode()
    return data


def digests(work: Path) -> dict[str, str]:
    """Run every command of :data:`RUNS` into ``work`` and return {relative file: sha256}."""
    out: dict[str, str] = {}
    for name, args in RUNS:
        target = work / name
        cmd = [_exe(), *[a.format(out=target) for a in args], "--demo-scale", SCALE]
        if args[0] == "check":
            cmd.append("--exit-zero")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=os.environ.copy())
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
        files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        for f in files:
            rel = f.relative_to(work).as_posix()
            out[rel] = hashlib.sha256(_normalised(rel, f.read_bytes())).hexdigest()
    return out


def read_golden() -> dict[str, str]:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (ln.split("  ", 1) for ln in lines if ln and not ln.startswith("#"))}


def main() -> None:
    if "--update" not in sys.argv:
        raise SystemExit("usage: python tests/golden/outputs.py --update")
    with tempfile.TemporaryDirectory() as tmp:
        got = digests(Path(tmp))
    GOLDEN.write_text("".join(f"{d}  {n}\n" for n, d in sorted(got.items())), encoding="utf-8")
    print(f"{len(got)} digests written to {GOLDEN}")


if __name__ == "__main__":
    main()
