"""The worked example of docs/rehab-worked-example.md, run with hemojoint's own domain code.

One synthetic child (``examples/plan/young_child.json``) goes from findings to a
12-week plan, twelve weeks of caregiver logs (``scenario.json``: missed sessions, a
pain day, a left-ankle bleed cleared by the hematologist), the weekly reviews and
the week-12 review. Every number printed comes from ``hemojoint.domain``; this
script only makes up what the family does.

    .venv/bin/python examples/worked_example/run.py            # print the summary
    .venv/bin/python examples/worked_example/run.py --out DIR  # also write the files

``examples/worked_example/output/`` holds the files of ``--out`` as committed; a test
reruns the script and checks they are still what the code produces.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import BleedSite, IndexJoint
from hemojoint.domain.bleeds import BleedEpisode, BleedType
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.patients import age_at
from hemojoint.domain.rehab.adherence import measure_adherence
from hemojoint.domain.rehab.home_logs import HomeSessionLog
from hemojoint.domain.rehab.joint_status import RehabRules
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.domain.rehab.model import (
    PROGRAMME_WEEKS,
    PlannedExercise,
    PlannedSession,
    SessionKind,
)
from hemojoint.domain.rehab.plan_request import PlanRequest, parse_plan_request
from hemojoint.domain.rehab.planner import Plan, generate_plan
from hemojoint.domain.rehab.review import Decision, ReviewRules, WeeklyReview, weekly_review
from hemojoint.reports.home_plan import HomePlanSource, render_html
from hemojoint.reports.labels import Language

HERE = Path(__file__).resolve().parent
PRINTED_WEEK = 5  # the week of the bleed: the printed plan shows what changes


@dataclass(frozen=True)
class Definitions:
    library: ExerciseLibrary
    rules: RehabRules
    review_rules: ReviewRules
    head_us_c: HeadUsCDefinition


@dataclass(frozen=True)
class Version:
    """A plan version and the day it takes effect (the family follows the newest)."""

    number: int
    effective: date
    reason: str
    plan: Plan


def load_definitions() -> Definitions:
    return Definitions(
        ExerciseLibrary.from_mapping(load_definition("exercise_library")),
        RehabRules.from_mapping(load_definition("rehab_rules")),
        ReviewRules.from_mapping(load_definition("rehab_review_rules")),
        HeadUsCDefinition.from_mapping(load_definition("head_us_c")),
    )


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the plan and its versions ----------------------------------------------------------------


def plan_on(
    request: PlanRequest,
    defs: Definitions,
    as_of: date,
    bleeds: Sequence[BleedEpisode],
    cleared: dict[IndexJoint, date],
) -> Plan:
    """The plan generated on ``as_of`` with the bleeds and clearances known then."""
    known = [bleed for bleed in bleeds if bleed.start.date() <= as_of]
    return generate_plan(
        birth_date=request.birth_date,
        start_date=request.start_date,
        hemophilia_type=request.hemophilia_type,
        infusion_weekdays=request.infusion_weekdays,
        hjhs_input=request.hjhs_input,
        ultrasound=request.ultrasound,
        recent_bleeds=[*request.recent_bleeds, *known],
        library=defs.library,
        rules=defs.rules,
        as_of=as_of,
        home_weekdays=request.home_weekdays,
        cleared_joints={joint: day for joint, day in cleared.items() if day <= as_of},
    )


def plan_versions(
    request: PlanRequest,
    defs: Definitions,
    bleeds: list[BleedEpisode],
    cleared: dict[IndexJoint, date],
) -> list[Version]:
    """Version 1 at the start; a new one when a bleed is reported and when a joint is cleared."""
    first = plan_on(request, defs, request.start_date, [], {})
    versions = [Version(1, first.sessions[0].date, "generated from the findings", first)]
    events = [(b.start.date(), f"{b.site.value} bleed reported") for b in bleeds] + [
        (day, f"{joint.value} cleared by the hematologist") for joint, day in cleared.items()
    ]
    for day, reason in sorted(events):
        plan = plan_on(request, defs, day, bleeds, cleared)
        versions.append(Version(len(versions) + 1, day, reason, plan))
    return versions


def in_force(versions: Sequence[Version], day: date) -> Version:
    return [version for version in versions if version.effective <= day][-1]


# --- what the family does ---------------------------------------------------------------------


def synthesise_logs(versions: Sequence[Version], scenario: dict[str, Any]) -> list[HomeSessionLog]:
    """One log per home session of the plan in force that day, except the missed ones."""
    missed = {date.fromisoformat(day) for day in scenario["missed_sessions"]}
    pain = {date.fromisoformat(day): score for day, score in scenario["pain_scores"].items()}
    started = time.fromisoformat(scenario["session_start"])
    logs = []
    for session in versions[0].plan.sessions:
        if session.kind is not SessionKind.HOME or session.date in missed:
            continue
        prescribed = session_on(in_force(versions, session.date), session.date)
        done = {exercise.code: True for exercise in prescribed.exercises}
        logs.append(
            HomeSessionLog(
                session.date, started, session.minutes, done, pain.get(session.date, 0), ""
            )
        )
    return logs


def session_on(version: Version, day: date) -> PlannedSession:
    return next(s for s in version.plan.sessions if s.date == day and s.kind is SessionKind.HOME)


# --- the weekly reviews -----------------------------------------------------------------------


def review(
    week: int,
    request: PlanRequest,
    versions: Sequence[Version],
    logs: Sequence[HomeSessionLog],
    bleeds: Sequence[BleedEpisode],
    cleared: dict[IndexJoint, date],
    defs: Definitions,
) -> WeeklyReview:
    """The review at the end of ``week`` with what is known that day."""
    start = versions[0].plan.sessions[0].date
    day = start + timedelta(days=7 * week - 1)
    return weekly_review(
        week=week,
        start_date=start,
        logs=[log for log in logs if log.date <= day],
        prescribed=in_force(versions, day).plan.sessions,
        bleeds=[bleed for bleed in bleeds if bleed.start.date() <= day],
        cleared_joints={joint: when for joint, when in cleared.items() if when <= day},
        age_years=age_at(request.birth_date, day).years,
        library=defs.library,
        rules=defs.review_rules,
    )


# --- the summary ------------------------------------------------------------------------------


def summary(
    request: PlanRequest,
    versions: Sequence[Version],
    reviews: Sequence[WeeklyReview],
    logs: Sequence[HomeSessionLog],
    defs: Definitions,
) -> list[str]:
    plan = versions[0].plan
    return [
        *_child(request, plan),
        *_first_home_session(plan),
        *_versions(versions),
        *_reviews(reviews),
        *_final(request, versions, logs, defs),
    ]


def _child(request: PlanRequest, plan: Plan) -> list[str]:
    sessions = plan.sessions
    homes = sum(1 for s in sessions if s.kind is SessionKind.HOME)
    lines = [
        f"Child: born {request.birth_date}, hemophilia {request.hemophilia_type.value}, "
        f"infusions {', '.join(day.value for day in request.infusion_weekdays)}",
        f"Programme: {sessions[0].date} to {sessions[-1].date}, {PROGRAMME_WEEKS} weeks, "
        f"{len(sessions) - homes} hospital and {homes} home sessions",
        f"Age at the start: {age_at(request.birth_date, sessions[0].date).years}",
        "",
        "Problems (evidence):",
    ]
    for problem in plan.problems:
        where = f" at {problem.joint.value}" if problem.joint else ""
        evidence = "; ".join(item.text for item in problem.evidence)
        text = f"{problem.code.value}{where}: {evidence}"
        lines.extend(textwrap.wrap(text, 96, initial_indent="  ", subsequent_indent="    "))
    lines.append("Goals:")
    for goal in plan.goals:
        lines.append(
            f"  {goal.term.value:5} {goal.measure}: "
            f"{'-' if goal.baseline is None else goal.baseline} -> {goal.target} "
            f"by week {goal.due_week}"
        )
    return lines


def _first_home_session(plan: Plan) -> list[str]:
    home = next(s for s in plan.sessions if s.kind is SessionKind.HOME)
    lines = [
        "",
        f"First home session {home.date}: {home.minutes} min at {home.intensity_pct} % "
        f"of the hospital level, {len(home.exercises)} exercises:",
    ]
    for exercise in home.exercises:
        lines.append(f"  {exercise.code:36} {_dose(exercise):22} {exercise.variant.value}")
    return lines


def _dose(exercise: PlannedExercise) -> str:
    sets = f"{exercise.sets} x " if exercise.sets > 1 else ""
    if exercise.minutes:
        return f"{sets}{exercise.minutes} min"
    hold = f"hold {exercise.hold_seconds} s" if exercise.hold_seconds else ""
    if exercise.reps:
        return f"{sets}{exercise.reps} reps" + (f", {hold}" if hold else "")
    return f"{sets}{hold}"


def _versions(versions: Sequence[Version]) -> list[str]:
    lines = ["", "Plan versions:"]
    for before, after in zip([None, *versions], versions, strict=False):
        lines.append(f"  v{after.number} from {after.effective}: {after.reason}")
        if before is not None:
            lines.extend(f"    {line}" for line in _changes(before, after))
    return lines


def _changes(before: Version, after: Version) -> list[str]:
    """Which home sessions from the new version's first day lost or gained exercises."""
    changed: dict[tuple[tuple[str, ...], tuple[str, ...]], list[date]] = {}
    for old, new in zip(before.plan.sessions, after.plan.sessions, strict=True):
        if new.date < after.effective or new.kind is not SessionKind.HOME:
            continue
        old_codes, new_codes = {e.code for e in old.exercises}, {e.code for e in new.exercises}
        key = (tuple(sorted(old_codes - new_codes)), tuple(sorted(new_codes - old_codes)))
        if key != ((), ()):
            changed.setdefault(key, []).append(new.date)
    lines = []
    for (left_out, added), days in changed.items():
        lines.append(f"home sessions {days[0]} to {days[-1]} ({len(days)} sessions):")
        lines.extend(_wrapped("  left out: ", left_out) + _wrapped("  added: ", added))
    return lines or ["no change to the home sessions"]


def _wrapped(label: str, codes: Sequence[str]) -> list[str]:
    if not codes:
        return []
    return textwrap.wrap(", ".join(codes), 92, initial_indent=label, subsequent_indent="    ")


def _reviews(reviews: Sequence[WeeklyReview]) -> list[str]:
    lines = ["", "Weekly reviews:", "  week  sessions  minutes  decision  paused"]
    for item in reviews:
        week = item.adherence
        paused = ", ".join(joint.value for joint in item.paused_joints) or "-"
        lines.append(
            f"  {item.week:>4}  {week.sessions.done:>3}/{week.sessions.prescribed:<4} "
            f"{week.minutes.done:>3}/{week.minutes.prescribed:<4}  "
            f"{item.decision.value:8}  {paused}"
        )
    for item in reviews:
        if _notable(item) or item.week == PROGRAMME_WEEKS:
            lines.extend(_review_detail(item))
    return lines


def _notable(item: WeeklyReview) -> bool:
    return bool(item.decision is Decision.HOLD or item.suggestions or item.paused)


def _review_detail(item: WeeklyReview) -> list[str]:
    lines = ["", f"Week {item.week} review: {item.decision.value}"]
    lines.extend(f"  - {reason.text}" for reason in item.reasons)
    for paused in item.paused:
        lines.extend(_wrapped(f"  paused at {paused.joint.value}: ", paused.exercises))
    if item.suggestions:
        lines.append(f"  suggestions: {', '.join(s.value for s in item.suggestions)}")
    return lines


def _final(
    request: PlanRequest,
    versions: Sequence[Version],
    logs: Sequence[HomeSessionLog],
    defs: Definitions,
) -> list[str]:
    plan = versions[-1].plan
    overall = measure_adherence(
        plan.sessions,
        logs,
        start_date=plan.sessions[0].date,
        through_week=PROGRAMME_WEEKS,
        rules=defs.review_rules.adherence,
    )
    ratios = (("sessions", overall.sessions), ("minutes", overall.minutes),
              ("exercises", overall.exercises))  # fmt: skip
    lines = ["", "Adherence over the 12 weeks (home sessions):"]
    lines.extend(f"  {name:9} {r.done}/{r.prescribed} = {r.pct:.1f} %" for name, r in ratios)
    lines.append(f"  low adherence flagged now: {overall.low_adherence}")
    return lines


# --- files and the command line ---------------------------------------------------------------


def write_outputs(
    folder: Path,
    lines: Sequence[str],
    logs: Sequence[HomeSessionLog],
    reviews: Sequence[WeeklyReview],
    versions: Sequence[Version],
    defs: Definitions,
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _dump(folder / "logs.json", [log.as_dict() for log in logs])
    _dump(folder / "reviews.json", [item.as_dict() for item in reviews])
    first_day = versions[0].plan.sessions[0].date
    printed = first_day + timedelta(days=7 * (PRINTED_WEEK - 1))
    version = in_force(versions, printed + timedelta(days=6))
    source = HomePlanSource(
        child_first_name="Lei",
        centre_name="Example Haemophilia Centre",
        contact_line=None,
        programme_weeks=PROGRAMME_WEEKS,
        plan_version=version.number,
        plan_content=version.plan.as_dict(),
        library=defs.library,
        printed_on=version.effective,
    )
    for language in Language:
        html = render_html(source, language, [PRINTED_WEEK])
        name = f"home-plan-week-{PRINTED_WEEK}.{language.value}.html"
        (folder / name).write_text(html, encoding="utf-8")


def _dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write summary, logs, reviews and home plan here")
    args = parser.parse_args(argv)
    scenario = read_json(HERE / "scenario.json")
    defs = load_definitions()
    request = parse_plan_request(read_json(HERE / scenario["findings"]), defs.head_us_c)
    bleeds = [
        BleedEpisode(
            BleedSite(item["site"]),
            datetime.fromisoformat(item["start"]),
            None,
            BleedType(item["type"]),
        )
        for item in scenario["bleeds"]
    ]
    cleared = {IndexJoint(j): date.fromisoformat(d) for j, d in scenario["clearances"].items()}
    versions = plan_versions(request, defs, bleeds, cleared)
    logs = synthesise_logs(versions, scenario)
    reviews = [
        review(week, request, versions, logs, bleeds, cleared, defs)
        for week in range(1, PROGRAMME_WEEKS + 1)
    ]
    lines = summary(request, versions, reviews, logs, defs)
    print("\n".join(lines))
    if args.out:
        write_outputs(args.out, lines, logs, reviews, versions, defs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
