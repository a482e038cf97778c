"""Helpers to run the CLI in-process (fast) or as the installed console script (real)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hemojoint.cli import main

CONSOLE_SCRIPT = Path(sys.executable).with_name("hemojoint")


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``hemojoint ARGS`` in-process; usage errors (SystemExit) count as exit codes."""

    def run(*args: str) -> Run:
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def run_console_script():  # type: ignore[no-untyped-def]
    """Run the installed ``hemojoint`` script in a subprocess, as a user would."""

    def run(*args: str, stdin: str | None = None) -> Run:
        done = subprocess.run(
            [str(CONSOLE_SCRIPT), *args], input=stdin, capture_output=True, text=True, check=False
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def write_json(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(data: Any, name: str = "input.json") -> str:
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    return write
