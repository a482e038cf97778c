"""The printable home plan for the family: HTML (Jinja2) and PDF (WeasyPrint), en and zh-Hans.

What it shows, from the current plan version of an enrolment: the child's first name,
the programme dates, each chosen week's home sessions with their exercises (title,
instructions, the dose at that week's home intensity, and the game variant when the
plan gives the child the game), a safety box (stop at pain, signs of a bleed, what to
do, the red flags of an iliopsoas bleed), the centre's contact line on every page,
and a clear mark on content that is still provisional.

Print rules (``templates/home_plan.css``): A4, each week starts on a new page.
Everything the template shows is escaped (autoescape): a child's name or a centre's
name is text, never markup. The PDF is made from the same HTML with every external
fetch refused, so a document can never reach the network or the disk.

Reading a plan version's content: the sessions of ``Plan.as_dict()`` (``date``,
``week``, ``kind``, ``minutes``, ``intensity_pct``, ``exercises`` with ``code``,
``variant``, ``joints`` and the dose). A session without ``week`` gets the week of its
date counted from the plan's first session; an exercise without any dose gets the
library's hospital dose at the session's intensity (the planner's own ``scaled``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hemojoint.domain.instruments.base import Status
from hemojoint.domain.rehab.library import Exercise, ExerciseLibrary, Sides
from hemojoint.domain.rehab.model import PlannedExercise, SessionKind, Variant
from hemojoint.domain.rehab.schedule import DAYS_PER_WEEK
from hemojoint.domain.rehab.selection import scaled
from hemojoint.reports.labels import Labels, Language, safety_provisional
from hemojoint.reports.rendering import TEMPLATES, html_to_pdf

TEMPLATE = "home_plan.html.j2"


@dataclass(frozen=True)
class HomePlanSource:
    """Everything the printed plan needs, already checked for the reader's access."""

    child_first_name: str
    centre_name: str
    contact_line: str | None  # e.g. a telephone number; None when the centre has none
    programme_weeks: int
    plan_version: int
    plan_content: Mapping[str, Any]
    library: ExerciseLibrary
    printed_on: date


# --- the view the template reads ----------------------------------------------------------


@dataclass(frozen=True)
class ExerciseView:
    title: str
    dose: str
    joints: str
    one_side: bool
    instructions: str | None  # None: not in the library (the therapist shows it)
    game: str | None


@dataclass(frozen=True)
class SessionGroupView:
    """Home sessions of one week that share the same exercises and intensity."""

    days: tuple[str, ...]
    minutes: int
    intensity_pct: int
    exercises: tuple[ExerciseView, ...]


@dataclass(frozen=True)
class WeekView:
    number: int
    first_day: str
    last_day: str
    hospital: tuple[str, ...]  # one line per hospital session
    groups: tuple[SessionGroupView, ...]


@dataclass(frozen=True)
class HomePlanView:
    labels: Labels
    child_first_name: str
    programme_start: str
    programme_end: str
    programme_weeks: int
    centre_name: str
    contact: str
    plan_version: int
    printed_on: str
    library_provisional: bool
    library_version: str
    safety_provisional: bool
    weeks: tuple[WeekView, ...]


# --- parsing the stored content -----------------------------------------------------------


@dataclass(frozen=True)
class _Session:
    day: date
    week: int
    kind: SessionKind
    minutes: int
    intensity_pct: int
    exercises: tuple[PlannedExercise, ...]


def _sessions(content: Mapping[str, Any], library: ExerciseLibrary) -> list[_Session]:
    raw = [item for item in content.get("sessions") or [] if isinstance(item, Mapping)]
    if not raw:
        return []
    first = min(date.fromisoformat(str(item["date"])) for item in raw)
    return sorted((_session(item, first, library) for item in raw), key=lambda s: s.day)


def _session(data: Mapping[str, Any], first: date, library: ExerciseLibrary) -> _Session:
    day = date.fromisoformat(str(data["date"]))
    pct = int(data.get("intensity_pct", 100))
    week = data.get("week") or (day - first).days // DAYS_PER_WEEK + 1
    exercises = tuple(_exercise(item, pct, library) for item in data.get("exercises") or [])
    return _Session(day, int(week), SessionKind(data["kind"]), int(data["minutes"]), pct, exercises)


def _exercise(data: Mapping[str, Any], pct: int, library: ExerciseLibrary) -> PlannedExercise:
    code = str(data["code"])
    variant = Variant(data.get("variant", Variant.STANDARD))
    joints: Any = tuple(data.get("joints") or ())
    dose = [data.get(key) for key in ("reps", "hold_seconds", "minutes")]
    if all(value is None for value in dose) and code in library:
        base = library.get(code).dosage  # no dose stored: the library's, at this intensity
        dose = [scaled(value, pct) for value in (base.reps, base.hold_seconds, base.minutes)]
        return PlannedExercise(code, variant, joints, base.sets, *dose)
    return PlannedExercise(code, variant, joints, int(data.get("sets", 1)), *dose)


# --- building the view --------------------------------------------------------------------


def programme_first_day(content: Mapping[str, Any]) -> date | None:
    """The date of the plan's first session (the programme's first day), if any."""
    days = [str(item["date"]) for item in content.get("sessions") or [] if "date" in item]
    return date.fromisoformat(min(days)) if days else None


def build_view(
    source: HomePlanSource, language: Language, weeks: Sequence[int] | None = None
) -> HomePlanView:
    """The plan as the template shows it; ``weeks`` are the week numbers (None: every week)."""
    labels = Labels(language)
    sessions = _sessions(source.plan_content, source.library)
    start = programme_first_day(source.plan_content) or source.printed_on
    end = start + timedelta(days=DAYS_PER_WEEK * source.programme_weeks - 1)
    chosen = range(1, source.programme_weeks + 1) if weeks is None else weeks
    contact_key = "contact_with_line" if source.contact_line else "contact"
    info = source.library.info
    return HomePlanView(
        labels=labels,
        child_first_name=source.child_first_name,
        programme_start=labels.date(start),
        programme_end=labels.date(end),
        programme_weeks=source.programme_weeks,
        centre_name=source.centre_name,
        contact=labels.fill(contact_key, centre=source.centre_name, line=source.contact_line),
        plan_version=source.plan_version,
        printed_on=labels.date(source.printed_on),
        library_provisional=info.status is Status.PROVISIONAL,
        library_version=info.version,
        safety_provisional=safety_provisional(),
        weeks=tuple(_week(number, start, sessions, source.library, labels) for number in chosen),
    )


def _week(
    number: int, start: date, sessions: Sequence[_Session], library: ExerciseLibrary, labels: Labels
) -> WeekView:
    first_day = start + timedelta(days=DAYS_PER_WEEK * (number - 1))
    of_week = [session for session in sessions if session.week == number]
    hospital = tuple(
        labels.fill("hospital_session", date=labels.date(s.day), minutes=s.minutes)
        for s in of_week
        if s.kind is SessionKind.HOSPITAL
    )
    homes = [session for session in of_week if session.kind is SessionKind.HOME]
    return WeekView(
        number=number,
        first_day=labels.date(first_day, with_year=False),
        last_day=labels.date(first_day + timedelta(days=DAYS_PER_WEEK - 1), with_year=False),
        hospital=hospital,
        groups=tuple(_group(group, library, labels) for group in _same_content(homes)),
    )


def _same_content(homes: Sequence[_Session]) -> list[list[_Session]]:
    """Sessions grouped by identical exercises, minutes and intensity, in date order."""
    groups: dict[tuple[Any, ...], list[_Session]] = {}
    for session in homes:
        key = (session.exercises, session.minutes, session.intensity_pct)
        groups.setdefault(key, []).append(session)
    return list(groups.values())


def _group(group: Sequence[_Session], library: ExerciseLibrary, labels: Labels) -> SessionGroupView:
    first = group[0]
    return SessionGroupView(
        days=tuple(labels.date(session.day, with_year=False) for session in group),
        minutes=first.minutes,
        intensity_pct=first.intensity_pct,
        exercises=tuple(_exercise_view(planned, library, labels) for planned in first.exercises),
    )


def _exercise_view(
    planned: PlannedExercise, library: ExerciseLibrary, labels: Labels
) -> ExerciseView:
    joints = labels.joints(planned.joints)
    if planned.code not in library:  # a therapist's own exercise: shown by them
        return ExerciseView(planned.code, labels.dose(planned), joints, False, None, None)
    exercise = library.get(planned.code)
    return ExerciseView(
        title=_text(exercise.name, labels.language),
        dose=labels.dose(planned),
        joints=joints,
        one_side=exercise.sides is Sides.ONE,
        instructions=_text(exercise.instructions, labels.language),
        game=_game(exercise, planned, labels.language),
    )


def _game(exercise: Exercise, planned: PlannedExercise, language: Language) -> str | None:
    if planned.variant is not Variant.GAME or exercise.game_variant is None:
        return None
    return _text(exercise.game_variant, language)


def _text(text: Any, language: Language) -> str:
    return str(text.en if language is Language.EN else text.zh_hans)


# --- rendering ----------------------------------------------------------------------------


def render_html(
    source: HomePlanSource, language: Language, weeks: Sequence[int] | None = None
) -> str:
    """The plan as one self-contained HTML page (styles inline, nothing fetched)."""
    view = build_view(source, language, weeks)
    return TEMPLATES.get_template(TEMPLATE).render(view=view, t=view.labels.texts)


def render_pdf(
    source: HomePlanSource, language: Language, weeks: Sequence[int] | None = None
) -> bytes:
    """The same HTML printed to an A4 PDF by WeasyPrint."""
    return html_to_pdf(render_html(source, language, weeks))
