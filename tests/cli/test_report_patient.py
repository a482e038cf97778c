"""``hemojoint report patient PATIENT_ID`` on databases of its own (SQLite and PostgreSQL).

The values come from the hand-built patient of tests/support/patient_report_builders.py;
the report's rules are tested in tests/reports/test_patient_report.py. Here: the acting
user (``--as``), the files written, the refusals (another centre's patient is not found,
an existing file is not replaced) and once through the installed console script.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hemojoint.cli import programme_commands
from hemojoint.persistence.db import make_engine, session_factory
from tests.support.operations_builders import BACKENDS, fresh_database
from tests.support.patient_report_builders import TODAY, seed_patient

CLOCK = datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[int]:
    """A fresh database with the hand-built patient; yields the patient's id."""
    with fresh_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        with session_factory(engine)() as session:
            patient_id = seed_patient(session)["patient"].id
            session.commit()
        engine.dispose()
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        monkeypatch.setattr(programme_commands, "now", lambda: CLOCK)
        yield patient_id


def _args(patient_id: int, out: Path, *extra: str, user: str = "prhaem") -> list[str]:
    return ["report", "patient", str(patient_id), "--as", user, "--out", str(out), *extra]


def test_html_in_english(seeded: int, run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    done = run_cli(*_args(seeded, out, "--format", "html", "--lang", "en"))
    assert done.code == 0, done.stderr
    assert done.json()["out"] == str(out)
    html = out.read_text("utf-8")
    # 5 episodes in 365 days: 5 x 365.25 / 365 = 5.00 (REFERENCE.md section 2).
    assert '<td class="num" id="total-abr">5.00</td>' in html
    assert "Generated 2026-06-30" in html  # the command's clock


def test_pdf_in_chinese(seeded: int, run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    done = run_cli(*_args(seeded, out, "--format", "pdf", "--lang", "zh-Hans"))
    assert done.code == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert done.json()["language"] == "zh-Hans"


def test_another_centres_user_gets_not_found(seeded: int, run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    done = run_cli(*_args(seeded, out, "--format", "html", user="prother"))
    assert done.code != 0
    assert "not found" in done.stderr.lower()
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_an_existing_file_is_not_replaced(seeded: int, run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    out.write_text("keep")
    done = run_cli(*_args(seeded, out, "--format", "html"))
    assert done.code != 0
    assert "already exists; use --force" in done.stderr
    assert out.read_text() == "keep"


def test_an_unknown_language_is_a_usage_error(seeded: int, run_cli: Any, tmp_path: Path) -> None:
    done = run_cli(*_args(seeded, tmp_path / "p.html", "--format", "html", "--lang", "fr"))
    assert done.code == 2
    assert "invalid choice: 'fr'" in done.stderr


def test_through_the_console_script(seeded: int, run_console_script: Any, tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    done = run_console_script(*_args(seeded, out, "--format", "html"))
    assert done.code == 0, done.stderr
    assert "PR-01" in out.read_text("utf-8")
