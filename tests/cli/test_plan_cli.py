"""``hemojoint plan FILE``: a plan as JSON on success, exit 2 and one stderr line on bad input.

Expected values follow the programme rules (REFERENCE.md section 1; issue 4): one
60-minute hospital session a week on an infusion day, five 45-minute home sessions,
home intensity 25 % in week 1 and 75 % in week 12, game variants at age 7 or younger,
and the contraindications (no high impact or heavy loading with active synovitis, low
impact only with severe damage). The examples' findings and the thresholds of the
packaged ``rehab_rules`` (HEAD-US-C synovial hyperplasia >= 1 is active synovitis,
cartilage >= 3 is severe damage, a bleed pauses loading for 28 days) give the rest.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.domain.rehab.model import PlannedExercise, Variant
from hemojoint.domain.rehab.selection import estimated_minutes

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plan"
YOUNG = EXAMPLES / "young_child.json"
TEEN = EXAMPLES / "teenager.json"


def example(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def library() -> ExerciseLibrary:
    return ExerciseLibrary.from_mapping(load_definition("exercise_library"))


def test_young_child_example(run_cli) -> None:
    result = run_cli("plan", str(YOUNG))
    assert (result.code, result.stderr) == (0, "")
    plan = result.json()
    # HJHS left_ankle.flexion_loss = 2 raises restricted motion at the left ankle.
    motion = [p for p in plan["problems"] if p["code"] == "restricted_motion"]
    assert [p["joint"] for p in motion] == ["left_ankle"]
    assert "left_ankle.flexion_loss = 2" in [e["text"] for e in motion[0]["evidence"]]
    assert {"term": "short", "joint": "left_ankle", "measure": "hjhs.left_ankle.flexion_loss",
            "target": 1}.items() <= next(g for g in plan["goals"]
                                         if g["measure"] == "hjhs.left_ankle.flexion_loss").items()  # fmt: skip
    # 6 years 10 months old on 2026-01-05, 7 on 2026-03-02, within the 12 weeks: games.
    assert {e["variant"] for s in plan["sessions"] for e in s["exercises"]} == {"game"}


def test_teenager_example(run_cli) -> None:
    result = run_cli("plan", str(TEEN))
    assert (result.code, result.stderr) == (0, "")
    plan = result.json()
    assert {e["variant"] for s in plan["sessions"] for e in s["exercises"]} == {"standard"}
    # Start Wednesday 2026-01-07, infusions Mon and Thu: hospital every Thursday.
    hospital = [s for s in plan["sessions"] if s["kind"] == "hospital"]
    assert {date.fromisoformat(s["date"]).strftime("%a") for s in hospital} == {"Thu"}
    assert hospital[0]["date"] == "2026-01-08"


@pytest.mark.parametrize("path", [YOUNG, TEEN], ids=["young-child", "teenager"])
def test_examples_follow_the_schedule(run_cli, path: Path) -> None:
    plan = run_cli("plan", str(path)).json()
    sessions = plan["sessions"]
    assert len(sessions) == 12 * 6
    for week in range(1, 13):
        this_week = [s for s in sessions if s["week"] == week]
        kinds = Counter((s["kind"], s["minutes"]) for s in this_week)
        assert kinds == {("hospital", 60): 1, ("home", 45): 5}
        assert sum(s["minutes"] for s in this_week) == 285
    assert max(Counter(s["date"] for s in sessions).values()) <= 2
    weekdays = set(example(path)["infusion_weekdays"])
    for session in (s for s in sessions if s["kind"] == "hospital"):
        assert date.fromisoformat(session["date"]).strftime("%a").lower() in weekdays
        assert session["intensity_pct"] == 100
    home = [s["intensity_pct"] for s in sessions if s["kind"] == "home"]
    assert (home[0], home[-1]) == (25, 75)
    assert all(s["exercises"] for s in sessions)


@pytest.mark.parametrize("path", [YOUNG, TEEN], ids=["young-child", "teenager"])
def test_examples_fit_their_minutes_and_repeat_the_hospital_content(run_cli, path: Path) -> None:
    exercises = {exercise.code: exercise for exercise in library().exercises}
    sessions = run_cli("plan", str(path)).json()["sessions"]
    hospital = {s["week"]: {e["code"] for e in s["exercises"]} for s in sessions
                if s["kind"] == "hospital"}  # fmt: skip
    for session in sessions:
        planned = [
            (PlannedExercise(e["code"], Variant(e["variant"]), tuple(map(IndexJoint, e["joints"])),
                             e["sets"], e["reps"], e["hold_seconds"], e["minutes"]),
             exercises[e["code"]])
            for e in session["exercises"]
        ]  # fmt: skip
        assert sum(estimated_minutes(p, exercise) for p, exercise in planned) <= session["minutes"]
        assert {e["code"] for e in session["exercises"]} <= hospital[session["week"]]
        categories = [exercise.category.value for _, exercise in planned]
        assert (categories[0], categories[-1]) == ("warm_up", "cool_down")


def test_teenager_right_knee_gets_no_heavy_or_impact_loading(run_cli) -> None:
    # Right knee: synovial hyperplasia 1 (active synovitis) and cartilage 3 (severe
    # damage): nothing heavy, nothing above low impact, loading the right knee.
    exercises = {exercise.code: exercise for exercise in library().exercises}
    plan = run_cli("plan", str(TEEN)).json()
    for session in plan["sessions"]:
        for planned in session["exercises"]:
            worked = exercises[planned["code"]]
            if "right_knee" in planned["joints"] and "knee" in worked.loaded_kinds:
                assert worked.loading.value != "heavy", planned["code"]
                assert worked.impact.value in ("none", "low"), planned["code"]


def test_standard_input(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(YOUNG.read_text(encoding="utf-8")))
    result = run_cli("plan", "-")
    assert (result.code, result.stderr) == (0, "")
    assert result.json()["sessions"][0]["kind"] == "hospital"


def test_definitions_dir_replaces_the_rules(run_cli, monkeypatch, tmp_path: Path) -> None:
    # A 60-day pause: the 2025-12-01 left-ankle bleed pauses loading until 2026-01-30.
    rules = {**load_definition("rehab_rules"), "bleed_pause_days": 60}
    (tmp_path / "rehab_rules.json").write_text(json.dumps(rules), encoding="utf-8")
    monkeypatch.setenv("HEMOJOINT_DEFINITIONS_DIR", str(tmp_path))
    warnings = run_cli("plan", str(YOUNG)).json()["warnings"]
    assert (
        "left_ankle: loading paused for a bleed (left_ankle.bleed_start = 2025-12-01) until "
        "2026-01-30 unless a hematologist clears it earlier"
    ) in warnings


def _error(run_cli, write_json, data: Any) -> str:
    result = run_cli("plan", write_json(data))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1
    return result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"infusion_weekdays": ["mon", "funday"]},
         "error: infusion_weekdays[1]: 'funday' is not one of mon, tue, wed, thu, fri, sat, sun\n"),
        ({"hemophilia_type": "C"}, "error: hemophilia_type: 'C' is not one of A, B\n"),
        ({"start_date": "2026-13-01"},
         "error: start_date: '2026-13-01' is not a date as YYYY-MM-DD\n"),
        ({"recent_bleeds": [{"site": "left_toe", "start": "2025-12-01"}]},
         "error: recent_bleeds[0].site: 'left_toe' is not one of "),
        ({"recent_bleeds": [{"site": "left_ankle", "start": "2026-02-01"}]},
         "error: recent_bleeds[0].start: '2026-02-01' is after 2026-01-05, the day the plan is"),
        ({"ultrasound": {"instrument": "mri", "joints": {}}},
         "error: ultrasound.instrument: 'mri' is not one of head_us, head_us_c\n"),
        ({"ultrasound": {"instrument": "head_us",
                         "joints": {"left_ankle": {"synovitis": 1, "cartilage": 5, "bone": 0}}}},
         "error: ultrasound.joints.left_ankle.cartilage: 5 is outside 0-4\n"),
        ({"weight_kg": 20}, "error: weight_kg: 'weight_kg' is not one of birth_date, "),
    ],
    ids=["weekday", "type", "date", "bleed-site", "future-bleed", "instrument", "us-item",
         "unknown-key"],
)  # fmt: skip
def test_invalid_input_names_the_field(run_cli, write_json, change, message: str) -> None:
    stderr = _error(run_cli, write_json, {**example(YOUNG), **change})
    assert stderr.startswith(message)


def test_nested_hjhs_error_names_the_path(run_cli, write_json) -> None:
    data = example(YOUNG)
    data["hjhs"]["joints"]["left_knee"]["swelling"] = 4
    assert _error(run_cli, write_json, data) == "error: hjhs.left_knee.swelling: 4 is outside 0-3\n"


def test_every_problem_is_reported_at_once(run_cli, write_json) -> None:
    data = {key: value for key, value in example(YOUNG).items() if key != "hjhs"}
    data["hemophilia_type"] = "C"
    stderr = _error(run_cli, write_json, data)
    assert stderr == (
        "error: hemophilia_type: 'C' is not one of A, B; hjhs: is missing; expected the HJHS "
        "2.1 input, as for `hemojoint score hjhs`\n"
    )


def test_not_json_is_exit_2(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    result = run_cli("plan", str(path))
    assert result.code == 2
    assert result.stderr.startswith(f"error: {path}: not valid JSON")


def test_console_script(run_console_script) -> None:
    result = run_console_script("plan", "-", stdin=TEEN.read_text(encoding="utf-8"))
    assert (result.code, result.stderr) == (0, "")
    assert len(json.loads(result.stdout)["sessions"]) == 72
    bad = run_console_script("plan", "-", stdin='{"birth_date": "x"}')
    assert bad.code == 2
    assert bad.stderr.startswith("error: birth_date: 'x' is not a date as YYYY-MM-DD; ")
