"""The worked example (docs/rehab-worked-example.md) runs, and says what the rules say it must.

Expected facts come from the scenario (``examples/worked_example/scenario.json``) read
against the rules, never from the script's output:

- REFERENCE.md section 1 and issue 4: hold on pain; pause the loading exercises of a
  joint with a bleed until a hematologist clears it; five home sessions a week.
- ``rehab_review_rules.json`` (provisional): progress needs at least 80 % of the
  sessions (4 of 5); low adherence is below 60 % (2 or fewer of 5) two weeks running;
  school age from 6 with at least one missed session suggests split sessions.
- The programme begins Mon 2026-01-05 (young_child.json: start date and Monday
  infusions); week n is the 7 days from 2026-01-05 + 7 (n - 1).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "worked_example"
COMMITTED = EXAMPLE / "output"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("worked_example")
    done = subprocess.run(
        [sys.executable, str(EXAMPLE / "run.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return done.stdout, out


@pytest.fixture(scope="module")
def reviews(run) -> dict[int, dict[str, Any]]:
    data = json.loads((run[1] / "reviews.json").read_text(encoding="utf-8"))
    return {item["week"]: item for item in data}


def _codes(review: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in review["reasons"]]


def test_committed_outputs_are_what_the_code_produces(run) -> None:
    stdout, out = run
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(path.name for path in COMMITTED.iterdir())
    for name in names:
        assert (out / name).read_text(encoding="utf-8") == (COMMITTED / name).read_text(
            encoding="utf-8"
        ), f"examples/worked_example/output/{name} is stale: rerun run.py --out"
    assert stdout == (COMMITTED / "summary.txt").read_text(encoding="utf-8")


def test_the_doc_shows_the_real_output(run) -> None:
    doc = (ROOT / "docs" / "rehab-worked-example.md").read_text(encoding="utf-8")
    assert run[0].strip() in doc


def test_logs_follow_the_scenario(run) -> None:
    logs = json.loads((run[1] / "logs.json").read_text(encoding="utf-8"))
    scenario = json.loads((EXAMPLE / "scenario.json").read_text(encoding="utf-8"))
    # 12 weeks x 5 home sessions, minus the 9 missed ones.
    assert len(logs) == 12 * 5 - 9
    assert not {log["date"] for log in logs} & set(scenario["missed_sessions"])
    assert [(log["date"], log["pain_score"]) for log in logs if log["pain_score"]] == [
        ("2026-01-21", 2)
    ]


def test_the_pain_week_holds(reviews) -> None:
    # The pain day 2026-01-21 is in week 3 (2026-01-19 to 2026-01-25); all 5 sessions done.
    assert reviews[3]["decision"] == "hold"
    assert _codes(reviews[3]) == ["pain", "adherence_good"]


def test_the_bleed_pauses_the_ankle_until_cleared(reviews) -> None:
    # Bleed 2026-02-04 (week 5), cleared 2026-02-09 (the first day of week 6).
    week_5, week_6 = reviews[5], reviews[6]
    assert [item["joint"] for item in week_5["paused"]] == ["left_ankle"]
    assert week_5["paused"][0]["bleed_start"] == "2026-02-04"
    assert "hematologist_clearance" in week_5["suggestions"]
    assert "bleed_paused" in _codes(week_5)
    assert week_6["paused"] == []
    assert week_6["decision"] == "progress"


def test_paused_exercises_are_those_loading_the_ankle(reviews) -> None:
    from hemojoint.definitions import load_definition

    library = {e["code"]: e for e in load_definition("exercise_library")["exercises"]}
    for code in reviews[5]["paused"][0]["exercises"]:
        loads = {j["kind"]: j["load"] for j in library[code]["joints"]}
        assert loads.get("ankle") not in (None, "none"), code


def test_missed_sessions(reviews) -> None:
    # Week 2: 4 of 5 = 80 %: still good (progress), but a 6-year-old missed one: split.
    assert reviews[2]["decision"] == "progress"
    assert reviews[2]["suggestions"] == ["split_sessions"]
    # Week 5: 3 of 5 = 60 % is below 80 %: hold; not low (60 is not below 60).
    assert reviews[5]["decision"] == "hold"
    assert reviews[5]["low_adherence"] is False
    # Weeks 9 and 10: 2 of 5 = 40 % twice running: flagged low at week 10, not at 9.
    assert reviews[9]["low_adherence"] is False
    assert reviews[10]["low_adherence"] is True


def test_week_12_review(reviews, run) -> None:
    assert reviews[12]["decision"] == "progress"
    assert _codes(reviews[12]) == ["pain_free", "adherence_good"]
    # 51 of 60 home sessions: 85.0 %.
    assert "sessions  51/60 = 85.0 %" in run[0]
