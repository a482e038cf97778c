"""``hemojoint report outcomes`` end to end on a small seeded SQLite database.

The cohort is tests/support/outcome_builders.py; the R values are those of
tests/services/test_outcomes.py (HJHS total: paired t -2.911, P 0.0334).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hemojoint.cli import main
from hemojoint.cli.report import Steps
from hemojoint.persistence.db import make_engine, session_factory
from tests.conftest import BACKENDS
from tests.support.operations_builders import fresh_database
from tests.support.outcome_builders import seed_cohort
from tests.support.outcome_filter_builders import seed_filter_cohort

OUTCOMES = [
    "hjhs_total",
    "hjhs_swelling",
    "hjhs_muscle",
    "hjhs_motion",
    "hjhs_crepitus",
    "hjhs_pain",
    "hjhs_gait",
    "ultrasound_total",
    "choklat_score",
    "joint_bleeds_12_weeks",
    "joint_abr",
    "target_joints",
]


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with fresh_database("sqlite", tmp_path) as url:
        engine = make_engine(url)
        with session_factory(engine)() as session:
            seed_cohort(session)
            session.commit()
        engine.dispose()
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        yield url


def test_report_outcomes_writes_one_entry_per_outcome(seeded: str, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "outcomes.json"
    args = ["report", "outcomes", "--centre", "OUT1", "--from", "2026-01-01", "--to", "2026-12-31"]
    result = run_cli(*args, "--format", "json", "--out", str(out))
    assert (result.code, result.stderr) == (0, "")
    assert result.json() == {"out": str(out), "patients": 7, "outcomes": len(OUTCOMES)}
    report = json.loads(out.read_text("utf-8"))
    assert [entry["outcome"] for entry in report["outcomes"]] == OUTCOMES
    hjhs = report["outcomes"][0]
    assert hjhs["n"] == 6
    assert hjhs["baseline"]["mean"] == pytest.approx(6.0)
    assert (hjhs["test"]["test"], hjhs["test"]["statistic_name"]) == ("paired_t", "t")
    assert hjhs["test"]["statistic"] == pytest.approx(-2.911112549, abs=5e-4)
    assert hjhs["test"]["p"] == pytest.approx(0.03335651914, abs=5e-4)
    assert hjhs["row"]["statistic"] == "-2.911"
    assert hjhs["row"]["baseline"] == "6.00 ± 2.61"
    # Every seeded patient has the same birth date and factor level (builders' defaults):
    # age and severity never vary here, so the model drops them and names them.
    assert hjhs["adjusted"]["dropped"] == ["age_years", "severe"]


def test_without_filters_every_enrolled_patient_is_included(  # type: ignore[no-untyped-def]
    seeded: str, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "all.json"
    result = run_cli("report", "outcomes", "--format", "json", "--out", str(out))
    # OUT-08 (other centre) and OUT-09 (enrolled 2025) join the seven.
    assert (result.code, result.json()["patients"]) == (0, 9)


@pytest.mark.parametrize(("kind", "starts"), [("html", b"<!DOCTYPE html"), ("pdf", b"%PDF")])
def test_html_and_pdf_reports_are_written(
    seeded: str, run_cli, tmp_path: Path, kind: str, starts: bytes
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"report.{kind}"
    result = run_cli("report", "outcomes", "--format", kind, "--out", str(out))
    assert result.code == 0, result.stderr
    assert out.read_bytes().lstrip().startswith(starts)


def test_iliopsoas_series_is_written_as_json(seeded: str, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "iliopsoas.json"
    result = run_cli("report", "iliopsoas", "--out", str(out))
    assert result.code == 0, result.stderr
    series = json.loads(out.read_text(encoding="utf-8"))
    # The seeded outcome cohort has no iliopsoas bleed: no episodes, nothing to recover from.
    assert series["episodes"] == 0


def test_bad_filters_are_one_line_errors(seeded: str, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = str(tmp_path / "x.json")
    bad_date = run_cli(
        "report", "outcomes", "--from", "2026-13-01", "--format", "json", "--out", out
    )
    assert bad_date.code == 2
    assert "argument --from: '2026-13-01' is not a date as YYYY-MM-DD" in bad_date.stderr
    reversed_ = run_cli(
        "report",
        "outcomes",
        "--from",
        "2026-02-01",
        "--to",
        "2026-01-01",
        "--format",
        "json",
        "--out",
        out,
    )
    assert (reversed_.code, reversed_.stderr) == (
        2,
        "error: --to 2026-01-01 is before --from 2026-02-01\n",
    )
    unknown = run_cli("report", "outcomes", "--centre", "NOPE", "--format", "json", "--out", out)
    assert (unknown.code, unknown.stderr) == (2, "error: centre NOPE was not found\n")
    missing_dir = run_cli(
        "report", "outcomes", "--format", "json", "--out", str(tmp_path / "no" / "x.json")
    )
    assert missing_dir.code == 2
    assert missing_dir.stderr.startswith("error: --out ")


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal, so tqdm draws (it is silent otherwise)."""

    def isatty(self) -> bool:
        return True


def test_progress_goes_to_stderr_only_when_it_is_a_terminal(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = tmp_path / "o.json"
    assert main(["report", "outcomes", "--format", "json", "--out", str(out)]) == 0
    # stdout holds the JSON summary alone; the steps were drawn on the terminal.
    assert json.loads(capsys.readouterr().out)["out"] == str(out)
    drawn = terminal.getvalue()
    for step in ("reading and analysing the cohort", "comparing age bands", "writing"):
        assert step in drawn
    assert "rendering" not in drawn  # JSON is not rendered


def test_the_step_bar_counts_finished_steps() -> None:
    terminal = _Terminal()
    with Steps(2, file=terminal) as bar:
        bar("first")
        bar("second")
    # After "second" starts, one of the two steps is done.
    assert "second: " in terminal.getvalue()
    assert "1/2" in terminal.getvalue()


# --- patient filters (tests/support/outcome_filter_builders.py; both databases) -----------------


@pytest.fixture(params=BACKENDS)
def filter_cohort(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with fresh_database(str(request.param), tmp_path) as url:
        engine = make_engine(url)
        with session_factory(engine)() as session:
            seed_filter_cohort(session)
            session.commit()
        engine.dispose()
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        yield url


def test_severity_filter_writes_the_severe_cohort(  # type: ignore[no-untyped-def]
    filter_cohort: str, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "severe.json"
    result = run_cli(
        "report", "outcomes", "--severity", "severe", "--format", "json", "--out", str(out)
    )
    # Severe (factor < 1 IU/dL): F-01, F-02, F-03 -> n = 3. HJHS 10, 8, 12 -> 4, 6, 5:
    # change -6, -2, -7, mean -5; R: t.test(c(4,6,5), c(10,8,12), paired=TRUE) t -3.2733.
    assert (result.code, result.stderr) == (0, "")
    assert result.json()["patients"] == 3
    report = json.loads(out.read_text("utf-8"))
    assert report["cohort"]["filters"] == {"severity": ["severe"]}
    assert report["outcomes"][0]["row"]["statistic"] == "-3.273"
    assert report["outcomes"][0]["row"]["baseline"] == "10.00 ± 2.00"


def test_severity_repeats_and_the_filters_combine(  # type: ignore[no-untyped-def]
    filter_cohort: str, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "x.json"
    args = ["--severity", "moderate", "--severity", "mild", "--age-band", "under_12"]
    result = run_cli("report", "outcomes", *args, "--format", "json", "--out", str(out))
    # Moderate or mild: F-04, F-05, F-06; of them under 12 at the start: F-04 (11), F-05 (9).
    assert (result.code, result.json()["patients"]) == (0, 2)
    report = json.loads(out.read_text("utf-8"))
    assert report["cohort"]["filters"] == {"severity": ["moderate", "mild"], "age_band": "under_12"}


def test_type_and_regimen_filters_reach_the_html_provenance(  # type: ignore[no-untyped-def]
    filter_cohort: str, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    args = ["--hemophilia-type", "A", "--prior-regimen", "on_demand"]
    result = run_cli("report", "outcomes", *args, "--format", "html", "--out", str(out))
    # Type A and on demand before the programme: F-01 and F-03.
    assert (result.code, result.json()["patients"]) == (0, 2)
    html = out.read_text("utf-8")
    limited = "hemophilia type A; regimen before the programme on_demand"
    assert f"The cohort was limited to patients with {limited}." in html
    assert f'<td id="patient-filters">{limited}</td>' in html


@pytest.mark.parametrize(
    ("option", "value", "choices"),
    [
        ("--severity", "grave", ["severe", "moderate", "mild"]),
        ("--hemophilia-type", "C", ["A", "B"]),
        ("--prior-regimen", "on-demand", ["on_demand", "prophylaxis"]),
        ("--age-band", "teen", ["under_12", "12_and_over"]),
    ],
    ids=["severity", "type", "regimen", "age-band"],
)
def test_a_bad_filter_value_is_a_usage_error_naming_it(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, option: str, value: str, choices: list[str]
) -> None:
    out = str(tmp_path / "x.json")
    result = run_cli("report", "outcomes", option, value, "--format", "json", "--out", out)
    assert result.code == 2
    # One line: the option, the value and the choices (argparse quotes them by version).
    [line] = result.stderr.splitlines()
    assert f"argument {option}: invalid choice: '{value}' (choose from " in line
    assert all(choice in line.split("choose from ")[1] for choice in choices)
    assert not (tmp_path / "x.json").exists()
