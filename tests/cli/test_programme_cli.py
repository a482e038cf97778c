"""``hemojoint programme ...`` in-process against databases of their own (SQLite and PostgreSQL),
and once through the installed console script.

The commands call the API's services acting as a named user, so these tests check the
command line's part: arguments and files in, the same rules and refusals out (one line on
stderr, exit 2), one transaction, JSON on stdout. The rules themselves are tested through
the API (tests/web/test_programme_api.py, test_home_api.py).

The child: born 2016-05-17 (9 at the start, 2026-01-05, a Monday), infusions Mon/Wed/Fri,
baseline HJHS left ankle flexion loss 2 and swelling 2, HEAD-US left ankle synovitis 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemojoint.cli import programme_commands
from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.persistence.db import make_engine, session_factory
from hemojoint.persistence.models import (
    AuditEntryRecord,
    CentreRecord,
    HomeSessionLogRecord,
    InhibitorResultRecord,
    ProgrammeEnrolmentRecord,
    RehabPlanVersionRecord,
    UserRecord,
)
from tests.support.assessment_builders import create_assessment, hjhs_raw
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.operations_builders import BACKENDS, fresh_database
from tests.support.probes_programme import ELIGIBLE_FACTS
from tests.support.prophylaxis_builders import create_bleed

NewDatabase = Callable[..., AbstractContextManager[str]]
START = "2026-01-05"  # a Monday
# A fixed clock after the whole programme, so home logs of week 1 are never "in the future".
CLOCK = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh, migrated database that the CLI's settings point at, and a fixed clock."""
    with fresh_database(request.param, tmp_path) as url:
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        monkeypatch.setattr(programme_commands, "now", lambda: CLOCK)
        yield url


def _in_session(url: str, work: Callable[[Session], Any]) -> Any:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            result = work(session)
            session.commit()
            return result
    finally:
        engine.dispose()


@pytest.fixture
def world(database: str) -> dict[str, Any]:
    """Centre HTC1: therapist ``thera``, hematologist ``haem``, caregiver ``parent`` of P1."""

    def build(session: Session) -> dict[str, Any]:
        centre = create_centre(session, code="HTC1", name="Centre One")
        thera = create_user(session, role=Role.THERAPIST, centre=centre, username="thera")
        haem = create_user(session, role=Role.HEMATOLOGIST, centre=centre, username="haem")
        parent = create_user(session, role=Role.CAREGIVER, centre=centre, username="parent")
        child = create_patient(session, centre, record_number="P1", birth_date=date(2016, 5, 17))
        link_family(session, parent, child)
        hjhs = create_assessment(
            session,
            child,
            thera,
            raw=hjhs_raw({"left_ankle.flexion_loss": 2, "left_ankle.swelling": 2}),
        )
        scan = create_assessment(
            session,
            child,
            thera,
            instrument_code="head_us",
            raw={"joints": {"left_ankle": {"synovitis": 2, "cartilage": 1, "bone": 0}}},
        )
        return {"hjhs": hjhs.id, "head_us": scan.id, "child": child.id, "haem": haem.id}

    ids: dict[str, Any] = _in_session(database, build)
    return ids | {"url": database}


@pytest.fixture
def facts(write_json) -> str:  # type: ignore[no-untyped-def]
    return str(write_json(ELIGIBLE_FACTS, "facts.json"))


def _count(url: str, model: type) -> int:
    return int(_in_session(url, lambda s: s.scalar(select(func.count()).select_from(model))))


def _enrol_args(facts: str, world: dict[str, Any], *extra: str) -> list[str]:
    return [
        "programme",
        "enrol",
        "--as",
        "thera",
        "--patient",
        "P1",
        "--centre",
        "HTC1",
        "--start",
        START,
        "--facts",
        facts,
        "--baseline-hjhs",
        str(world["hjhs"]),
        "--baseline-ultrasound",
        str(world["head_us"]),
        "--infusion-weekdays",
        "mon,wed,fri",
        *extra,
    ]


@pytest.fixture
def planned(world, facts, run_cli) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    enrolled = run_cli(*_enrol_args(facts, world))
    assert enrolled.code == 0, enrolled.stderr
    enrolment_id = enrolled.json()["id"]
    plan = run_cli("programme", "plan", str(enrolment_id), "--as", "thera")
    assert plan.code == 0, plan.stderr
    return {"enrolment": enrolled.json(), "plan": plan.json()}


# --- enrolment ------------------------------------------------------------------------------


def test_enrol_refusal_names_every_failed_criterion_on_one_line(
    world: dict[str, Any], run_cli, write_json
) -> None:
    def toddler(session: Session) -> None:
        centre = session.scalars(select(CentreRecord)).one()
        haem = session.get(UserRecord, world["haem"])
        assert haem is not None
        child = create_patient(session, centre, record_number="T1", birth_date=date(2023, 6, 1))
        # The registry's positive inhibitor test wins over the negative one in the facts.
        session.add(
            InhibitorResultRecord(
                patient_id=child.id,
                sample_date=date(2025, 11, 20),
                positive=True,
                recorded_by_id=haem.id,
            )
        )
        # A left knee bleed 10 days before the start (REFERENCE.md: none in the last 4 weeks).
        create_bleed(
            session,
            child,
            haem,
            site=BleedSite.LEFT_KNEE,
            started_at=datetime(2025, 12, 26, 9, tzinfo=UTC),
        )

    _in_session(world["url"], toddler)
    facts = write_json(
        {"follows_simple_training": False, "inhibitor_tests": ELIGIBLE_FACTS["inhibitor_tests"]},
        "toddler.json",
    )

    result = run_cli(
        "programme",
        "enrol",
        "--as",
        "thera",
        "--patient",
        "T1",
        "--centre",
        "HTC1",
        "--start",
        START,
        "--facts",
        facts,
        "--infusion-weekdays",
        "mon,wed,fri",
    )

    assert (result.code, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1
    # REFERENCE.md section 1; only the diagnosis (hemophilia A) is met. Unanswered = not confirmed.
    failed = [
        "age_4_to_18",
        "inhibitor_negative",
        "follows_simple_training",
        "joint_bleed_confirmed_by_imaging",
        "joint_pain_or_restricted_motion",
        "completes_12_weeks",
        "no_active_bleed_on_ultrasound",
        "no_severe_active_bleeding",
        "no_bleed_in_last_4_weeks",
        "no_heart_liver_or_kidney_disease",
        "no_other_serious_condition",
    ]
    # Each failed criterion is named, in the domain's order (a message may itself hold "; ").
    positions = [result.stderr.find(f"{name}: ") for name in failed]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert result.stderr.startswith("error: age_4_to_18: ")
    assert "hemophilia_diagnosis" not in result.stderr  # met: hemophilia A in the registry
    assert "age 2 years 7 months is outside 4 to 18 years" in result.stderr
    assert "10 days before 2026-01-05" in result.stderr
    assert "(2025-11-20) is positive" in result.stderr
    assert _count(world["url"], ProgrammeEnrolmentRecord) == 0


def test_enrol_facts_are_checked_by_the_api_schema(
    world: dict[str, Any], run_cli, write_json
) -> None:
    facts = write_json({"joint_pain": "maybe", "unknown": 1}, "bad.json")

    result = run_cli(*_enrol_args(facts, world))

    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: candidate.joint_pain: Input should be a valid boolean")
    assert "candidate.unknown: Extra inputs are not permitted" in result.stderr
    assert _count(world["url"], ProgrammeEnrolmentRecord) == 0


def test_a_user_of_another_centre_is_refused(world: dict[str, Any], run_cli, facts) -> None:
    _in_session(
        world["url"],
        lambda s: create_user(
            s, role=Role.THERAPIST, centre=create_centre(s, code="HTC2"), username="away"
        ),
    )
    args = _enrol_args(facts, world)
    args[args.index("thera")] = "away"

    result = run_cli(*args)

    assert (result.code, result.stderr) == (
        2,
        "error: user 'away' does not belong to centre HTC1\n",
    )


# --- the flow: enrol, plan, log, adherence, review --------------------------------------------


def _home_sessions(plan: dict[str, Any], week: int) -> list[dict[str, Any]]:
    sessions = plan["content"]["sessions"]
    return [s for s in sessions if s["week"] == week and s["kind"] == "home"]


def test_enrol_plan_log_adherence_review(
    planned: dict[str, Any], world: dict[str, Any], run_cli, write_json
) -> None:
    enrolment, plan = planned["enrolment"], planned["plan"]
    enrolment_id = str(enrolment["id"])
    assert (enrolment["status"], enrolment["weeks"], enrolment["start_date"]) == (
        "enrolled",
        12,
        START,
    )
    assert enrolment["infusion_weekdays"] == ["mon", "wed", "fri"]
    assert enrolment["eligibility"]["failed"] == []
    # Issue 4: 12 weeks of one 60-minute hospital and five 45-minute home sessions.
    assert (plan["number"], plan["reason"]) == (1, "generated")
    assert len(plan["content"]["sessions"]) == 12 * 6
    homes = _home_sessions(plan, 1)
    assert [s["minutes"] for s in homes] == [45] * 5

    # The caregiver logs 4 of the 5 home sessions of week 1, pain-free, every exercise done.
    for number, home in enumerate(homes[:4]):
        log = {
            "session_date": home["date"],
            "minutes": 45,
            "exercises": {e["code"]: True for e in home["exercises"]},
            "pain_score": 0,
        }
        logged = run_cli(
            "programme",
            "log",
            enrolment_id,
            "--as",
            "parent",
            "--file",
            write_json(log, f"log{number}.json"),
        )
        assert logged.code == 0, logged.stderr
        assert (logged.json()["session_date"], logged.json()["pain_score"]) == (home["date"], 0)

    adherence = run_cli(
        "programme", "adherence", enrolment_id, "--as", "thera", "--through-week", "1"
    )
    assert adherence.code == 0, adherence.stderr
    (week,) = adherence.json()["weeks"]
    # 4 of 5 sessions = 80 %; 4 x 45 = 180 of 5 x 45 = 225 minutes = 80 %.
    assert week["sessions"] == {"done": 4, "prescribed": 5, "pct": 80.0}
    assert week["minutes"] == {"done": 180, "prescribed": 225, "pct": 80.0}
    exercises_done = sum(len(home["exercises"]) for home in homes[:4])
    exercises_prescribed = sum(len(home["exercises"]) for home in homes)
    assert week["exercises"]["done"] == exercises_done
    assert week["exercises"]["prescribed"] == exercises_prescribed
    assert adherence.json()["low_adherence"] is False
    assert adherence.json()["as_of"] == "2026-04-01"  # the command's clock

    review = run_cli("programme", "review", enrolment_id, "--as", "thera", "--week", "1")
    assert review.code == 0, review.stderr
    body = review.json()
    # rehab_review_rules: progress when pain-free with at least 80 % (4 of 5) done; a school-age
    # child (9, from 6) who missed a session (at least 1) gets the split-session suggestion.
    assert (body["week"], body["decision"], body["paused_joints"]) == (1, "progress", [])
    codes = [reason["code"] for reason in body["reasons"]]
    assert "adherence_good" in codes
    assert "pain" not in codes
    assert "split_sessions" in body["suggestions"]

    # The audit names the users who acted, from the command line.
    entries = _in_session(
        world["url"],
        lambda s: [
            (e.action, e.entity, e.address)
            for e in s.scalars(select(AuditEntryRecord).order_by(AuditEntryRecord.id))
        ],
    )
    assert ("create", "weekly_review", "cli") in entries
    assert entries.count(("create", "home_log", "cli")) == 4


def test_plan_show_and_edit_make_version_2(planned: dict[str, Any], run_cli, write_json) -> None:
    enrolment_id = str(planned["enrolment"]["id"])
    baseline = planned["plan"]["content"]["goals"][0]["baseline"]
    edit = {
        "version": 1,
        "reason": "slower goal",
        "goals": [{"index": 0, "target": baseline, "due_week": 6}],
    }

    edited = run_cli(
        "programme", "plan-edit", enrolment_id, "--as", "thera", "--file", write_json(edit)
    )
    stale = run_cli(
        "programme", "plan-edit", enrolment_id, "--as", "thera", "--file", write_json(edit)
    )
    current = run_cli("programme", "plan-show", enrolment_id, "--as", "parent")
    first = run_cli("programme", "plan-show", enrolment_id, "--as", "thera", "--version", "1")

    assert edited.code == 0, edited.stderr
    assert (edited.json()["number"], edited.json()["reason"]) == (2, "slower goal")
    # A stale version is the API's 409; nothing is written.
    assert (stale.code, stale.stdout) == (2, "")
    assert stale.stderr == "error: version 1 is stale: the plan is at version 2\n"
    assert current.json() == edited.json()
    assert first.json() == planned["plan"]


def test_a_caregiver_cannot_generate_a_plan(world: dict[str, Any], facts: str, run_cli) -> None:
    enrolled = run_cli(*_enrol_args(facts, world))

    result = run_cli("programme", "plan", str(enrolled.json()["id"]), "--as", "parent")

    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == "error: role caregiver may not write rehab_plan records\n"
    assert _count(world["url"], RehabPlanVersionRecord) == 0


def test_only_a_hematologist_clears_a_joint(
    planned: dict[str, Any], world: dict[str, Any], run_cli
) -> None:
    args = ["programme", "clear", "--patient", "P1", "--centre", "HTC1", "--joint", "left_ankle"]

    refused = run_cli(*args, "--as", "thera")
    cleared = run_cli(*args, "--as", "haem", "--note", "resolved")
    unknown = run_cli(*args[:-1], "elbow_of_doom", "--as", "haem")

    assert (refused.code, refused.stderr) == (
        2,
        "error: role therapist may not write clearance records\n",
    )
    assert cleared.code == 0, cleared.stderr
    body = cleared.json()
    assert (body["joint"], body["note"], body["enrolment_id"]) == (
        "left_ankle",
        "resolved",
        planned["enrolment"]["id"],
    )
    assert body["cleared_at"].startswith("2026-04-01T09:00:00")  # the command's clock
    assert unknown.code == 2
    assert unknown.stderr.startswith("error: joint: Input should be ")


def test_a_log_naming_an_unknown_enrolment_is_not_found(
    world: dict[str, Any], run_cli, write_json
) -> None:
    log = {"session_date": "2026-01-06", "minutes": 45, "exercises": {}, "pain_score": 0}

    result = run_cli("programme", "log", "99", "--as", "parent", "--file", write_json(log))

    assert (result.code, result.stderr) == (2, "error: enrolment 99 was not found\n")
    assert _count(world["url"], HomeSessionLogRecord) == 0


def test_mdt_agenda_of_the_centre(planned: dict[str, Any], run_cli) -> None:
    result = run_cli(
        "programme", "mdt-agenda", "--centre", "HTC1", "--as", "haem", "--as-of", "2026-01-19"
    )
    bad = run_cli("programme", "mdt-agenda", "--centre", "HTC1", "--as", "haem", "--as-of", "x")
    family = run_cli("programme", "mdt-agenda", "--centre", "HTC1", "--as", "parent")

    assert result.code == 0, result.stderr
    assert result.json()["as_of"] == "2026-01-19"
    assert isinstance(result.json()["items"], list)
    assert (bad.code, bad.stderr) == (2, "error: as_of: 'x' is not a date YYYY-MM-DD\n")
    assert (family.code, family.stderr) == (2, "error: role caregiver may not read mdt records\n")


# --- the printable home plan ------------------------------------------------------------------


def test_home_plan_writes_a_pdf_and_refuses_to_overwrite(
    planned: dict[str, Any], world: dict[str, Any], run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "plan.pdf"
    args = [
        "programme",
        "home-plan",
        str(planned["enrolment"]["id"]),
        "--as",
        "parent",
        "--lang",
        "zh-Hans",
        "--format",
        "pdf",
        "--out",
        str(out),
    ]

    written = run_cli(*args)
    first_bytes = out.read_bytes()
    again = run_cli(*args)
    forced = run_cli(*args, "--force", "--week", "1")

    assert written.code == 0, written.stderr
    assert first_bytes.startswith(b"%PDF")
    assert written.json()["bytes"] == len(first_bytes)
    assert written.json()["media_type"] == "application/pdf"
    assert (again.code, again.stdout) == (2, "")
    assert again.stderr == f"error: {out} already exists; use --force to replace it\n"
    assert forced.code == 0, forced.stderr
    assert out.read_bytes().startswith(b"%PDF")
    prints = _in_session(
        world["url"],
        lambda s: s.scalars(
            select(AuditEntryRecord.detail).where(AuditEntryRecord.entity == "home_plan")
        ).all(),
    )
    # One audit entry per print written; the refused one printed nothing.
    assert [(p["format"], p["language"], p["weeks"]) for p in prints] == [
        ("pdf", "zh-Hans", "all"),
        ("pdf", "zh-Hans", [1]),
    ]


def test_home_plan_html_in_english(planned: dict[str, Any], run_cli, tmp_path: Path) -> None:
    out = tmp_path / "plan.html"

    result = run_cli(
        "programme",
        "home-plan",
        str(planned["enrolment"]["id"]),
        "--as",
        "thera",
        "--lang",
        "en",
        "--format",
        "html",
        "--out",
        str(out),
    )

    assert result.code == 0, result.stderr
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


# --- the console script -----------------------------------------------------------------------


def test_enrol_through_the_console_script(
    world: dict[str, Any], facts: str, run_console_script
) -> None:
    result = run_console_script(*_enrol_args(facts, world))

    assert result.code == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["status"], body["patient_id"]) == ("enrolled", world["child"])
    assert _count(world["url"], ProgrammeEnrolmentRecord) == 1
