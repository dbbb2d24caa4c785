"""The quality gates' floors only go up, unless a lowering is declared with its reason.

Each `tests/pipeline/*_floor.json` pins floors that its quality-gate test enforces on real
labelled data. Raising a floor is a one-line change. Lowering one needs the explicit
entry `"lowered": {"<metric path>": "<reason>"}` in the same file: this test compares the
file with every earlier committed version of it and fails on a silent drop.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

FLOOR_FILES = sorted((REPO / "tests" / "pipeline").glob("*_floor.json"))
NOT_FLOORS = {"measured", "documents", "lowered", "date", "pages", "note"}


def floors(data, prefix: str = "") -> dict[str, float]:
    """Numeric leaves that are floors (measurements and sizes left out), by dotted path."""
    out: dict[str, float] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key in NOT_FLOORS:
                continue
            out |= floors(value, f"{prefix}{key}.")
    elif isinstance(data, int | float) and not isinstance(data, bool):
        out[prefix.rstrip(".")] = float(data)
    return out


def committed_versions(path: Path) -> list[dict]:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("no git history here to compare the floors with")
    rel = path.relative_to(REPO).as_posix()
    log = subprocess.run(["git", "log", "--format=%H", "--", rel], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout.split()
    versions = []
    for commit in log:
        shown = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=REPO,
                               capture_output=True, text=True)
        if shown.returncode == 0:
            versions.append(json.loads(shown.stdout))
    return versions


def test_there_are_quality_gates():
    assert {p.name for p in FLOOR_FILES} >= {"extraction_floor.json", "places_floor.json",
                                             "entities_floor.json", "stories_floor.json"}


@pytest.mark.parametrize("path", FLOOR_FILES, ids=lambda p: p.name)
def test_no_floor_was_lowered_silently(path):
    current = json.loads(path.read_text())
    declared = current.get("lowered", {})
    now = floors(current)
    for old in committed_versions(path):
        for metric, value in floors(old).items():
            if metric in now and now[metric] < value:
                assert metric in declared and declared[metric].strip(), (
                    f"{path.name}: floor {metric} went down from {value} to {now[metric]}; "
                    f'add "lowered": {{"{metric}": "<why>"}} to the file if this is intended'
                )
