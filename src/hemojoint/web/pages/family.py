"""Family pages, phone first: today's exercises, log a session, messages, the printable plan.

The bleed report is in ``family_bleed`` and the check-ins in ``family_check_in``.

Caregivers (and patients themselves) see only their linked children: every page loads
the child through the patients service, so another child's pages answer 404. Writes go
through the owning services (home logs, bleeds, check-ins, messages).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.rehab.adherence import programme_week
from hemojoint.reports.labels import Language
from hemojoint.services import family_view, home, home_plan, messages
from hemojoint.services.errors import NotFoundError
from hemojoint.services.family_view import FamilyChild
from hemojoint.services.home_plan import CURRENT_WEEK, OutputFormat
from hemojoint.web.api.deps import AppSettings, DbSession, Now
from hemojoint.web.i18n import N_
from hemojoint.web.pages import family_bleed, family_check_in
from hemojoint.web.pages.context import Page, PageContext
from hemojoint.web.pages.family_common import family_today, family_zone, load_child, parse_day
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)
router.include_router(family_bleed.router)
router.include_router(family_check_in.router)

OUTCOMES = (
    ("done", N_("Done")),
    ("partly", N_("Partly done")),
    ("not_done", N_("Not done")),
)
# A faces pain scale reports 0-10 in steps of two (0 = no pain): the domain's 0-10 range.
PAIN_FACES = (
    (2, N_("2 - hurts a little")),
    (4, N_("4 - hurts a little more")),
    (6, N_("6 - hurts even more")),
    (8, N_("8 - hurts a whole lot")),
    (10, N_("10 - hurts worst")),
)
DEFAULT_HOME_MINUTES = 45  # REFERENCE.md section 1: home sessions of 45 minutes
MESSAGE_PAGE = 50


@router.get("/family")
def family_home(request: Request, page: Page, session: DbSession) -> Response:
    """The family's children; with one child, straight to that child's day."""
    children = family_view.children(session, page.actor)
    if len(children) == 1:
        return RedirectResponse(f"/family/{children[0].id}", status_code=303)
    return render(request, "family/index.html", page, children=children)


@router.get("/family/{patient_id}")
def today(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    now: Now,
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    plan = family_view.plan_of(session, page.actor, family_child)
    day = now.date()
    sessions = family_view.home_sessions_on(plan, day) if plan else []
    library = family_view.exercise_library(settings.definitions_dir)
    exercises = family_view.exercises_of(sessions, library, page.language, family_child.small)
    return render(
        request,
        "family/today.html",
        page,
        child=family_child,
        has_plan=plan is not None,
        day=day,
        minutes=sum(item.minutes for item in sessions),
        exercises=exercises,
    )


# --- log a home session ------------------------------------------------------------------------


@router.get("/family/{patient_id}/log")
def log_form(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    now: Now,
    saved: int = 0,
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    form = {
        "session_date": now.date().isoformat(),
        "outcome": "",
        "exercises": None,
        "minutes": "",
        "pain": "no",
        "pain_score": "",
        "problem": "no",
        "notes": "",
        "tz_offset": "",
    }
    return _log_page(request, page, session, settings, family_child, form, [], 200, now, saved)


def _log_page(
    request: Request,
    page: PageContext,
    session: Any,
    settings: Any,
    family_child: FamilyChild,
    form: dict[str, Any],
    problems: list[FieldProblem],
    status_code: int,
    now: Any,
    saved: int = 0,
) -> Response:
    plan = family_view.plan_of(session, page.actor, family_child)
    day = parse_day("session_date", form["session_date"])[0] or now.date()
    library = family_view.exercise_library(settings.definitions_dir)
    choices = family_view.exercises_of(
        _log_sessions(plan, day), library, page.language, family_child.small
    )
    planned_minutes = sum(s.minutes for s in family_view.home_sessions_on(plan, day)) if plan else 0
    if not form["minutes"]:
        form["minutes"] = str(planned_minutes or DEFAULT_HOME_MINUTES)
    recent = _recent_logs(session, page, family_child)
    return render(
        request,
        "family/log.html",
        page,
        status_code=status_code,
        child=family_child,
        has_plan=plan is not None,
        form=form,
        problems=problems,
        outcomes=OUTCOMES,
        pain_faces=PAIN_FACES,
        choices=choices,
        saved=saved,
        recent=recent,
        today=now.date(),
    )


def _log_sessions(plan: home.CurrentPlan | None, day: date) -> list[Any]:
    """The home sessions of ``day``; on a day without one, those of its programme week."""
    if plan is None:
        return []
    sessions = family_view.home_sessions_on(plan, day)
    if sessions:
        return sessions
    week = programme_week(plan.first_day, day)
    return [s for s in plan.sessions if s.week == week and s.kind.value == "home"][:1]


def _recent_logs(session: Any, page: PageContext, family_child: FamilyChild) -> list[Any]:
    if family_child.enrolment is None:
        return []
    first = home.list_logs(session, page.actor, enrolment_id=family_child.enrolment.id, limit=1)
    offset = max(first.total - 5, 0)
    logs = home.list_logs(
        session, page.actor, enrolment_id=family_child.enrolment.id, offset=offset, limit=5
    )
    return list(reversed(logs.items))


@router.post("/family/{patient_id}/log")
def log_session(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    now: Now,
    session_date: Annotated[str, Form(max_length=20)] = "",
    outcome: Annotated[str, Form(max_length=20)] = "",
    exercises: Annotated[list[str] | None, Form()] = None,
    minutes: Annotated[str, Form(max_length=10)] = "",
    pain: Annotated[str, Form(max_length=5)] = "no",
    pain_score: Annotated[str, Form(max_length=5)] = "",
    problem: Annotated[str, Form(max_length=5)] = "no",
    notes: Annotated[str, Form(max_length=2000)] = "",
    tz_offset: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    form = {
        "session_date": session_date,
        "outcome": outcome,
        "exercises": exercises or [],
        "minutes": minutes,
        "pain": pain,
        "pain_score": pain_score,
        "problem": problem,
        "notes": notes,
        "tz_offset": tz_offset,
    }
    try:
        saved = _save_log(session, page, family_child, form, now, family_zone(tz_offset))
    except InvalidInputError as error:
        problems = list(error.problems)
        return _log_page(request, page, session, settings, family_child, form, problems, 422, now)
    return RedirectResponse(f"/family/{patient_id}/log?saved={saved}", status_code=303)


def _save_log(
    session: Any,
    page: PageContext,
    family_child: FamilyChild,
    form: dict[str, Any],
    now: Any,
    zone: Any,
) -> int:
    """Store the log (1) or, for a session not done, tell the team why if given (2)."""
    enrolment = _require_enrolment(family_child)
    choices = [code for code, _ in OUTCOMES]
    if form["outcome"] not in choices:
        raise InvalidInputError.single(FieldProblem.not_one_of("outcome", form["outcome"], choices))
    day, problem = parse_day("session_date", form["session_date"])
    if problem or day is None:
        raise InvalidInputError.single(problem or FieldProblem.missing("session_date", "a date"))
    if form["outcome"] == "not_done":
        if form["notes"].strip():
            body = f"{page.gettext('Home session not done on')} {day.isoformat()}: {form['notes']}"
            messages.post(session, page.actor, enrolment_id=enrolment.id, body=body.strip())
        return 2
    values = {
        "session_date": day,
        "started_at": None,
        "minutes": _int("minutes", form["minutes"]),
        "exercises": _exercises(session, enrolment, day, form),
        "notes": form["notes"] or None,
        "pain_score": _pain(form),
    }
    home.create_log(
        session,
        page.actor,
        enrolment_id=enrolment.id,
        values=values,
        today=family_today(now, zone),
    )
    return 1


def _require_enrolment(family_child: FamilyChild) -> Any:
    if family_child.enrolment is None:
        why = "is missing: the child is not in the rehabilitation programme yet"
        raise InvalidInputError.single(
            FieldProblem.invalid("enrolment", None, "a programme enrolment", why)
        )
    return family_child.enrolment


def _exercises(session: Any, enrolment: Any, day: date, form: dict[str, Any]) -> dict[str, bool]:
    """Done: every exercise of the day; partly: the ones ticked (at least one)."""
    plan = home.require_plan(session, enrolment)
    codes = [item.code for s in _log_sessions(plan, day) for item in s.exercises]
    codes = list(dict.fromkeys(codes))
    ticked = set(form["exercises"])
    if form["outcome"] == "done":
        return dict.fromkeys(codes, True)
    if not ticked:
        why = "has none ticked: tick the exercises that were done, or choose Not done"
        raise InvalidInputError.single(
            FieldProblem.invalid("exercises", [], "at least one exercise", why)
        )
    # A code the plan does not prescribe is kept, so the home service names it (422).
    return {code: code in ticked for code in codes} | dict.fromkeys(ticked, True)


def _pain(form: dict[str, Any]) -> int:
    if form["pain"] != "yes":
        return 0
    return _int("pain_score", form["pain_score"])


def _int(field: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidInputError.single(
            FieldProblem.wrong_type(field, text, "a whole number")
        ) from None


# --- messages ----------------------------------------------------------------------------------


@router.get("/family/{patient_id}/messages")
def message_thread(
    request: Request, patient_id: int, page: Page, session: DbSession, now: Now
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    return _messages_page(request, page, session, family_child, body="", problems=[], status=200)


def _messages_page(
    request: Request,
    page: PageContext,
    session: Any,
    family_child: FamilyChild,
    body: str,
    problems: list[FieldProblem],
    status: int,
) -> Response:
    thread: list[Any] = []
    if family_child.enrolment is not None:
        enrolment_id = family_child.enrolment.id
        first = messages.thread(session, page.actor, enrolment_id=enrolment_id, offset=0, limit=1)
        offset = max(first.total - MESSAGE_PAGE, 0)
        thread = list(
            messages.thread(
                session, page.actor, enrolment_id=enrolment_id, offset=offset, limit=MESSAGE_PAGE
            ).items
        )
    return render(
        request,
        "family/messages.html",
        page,
        status_code=status,
        child=family_child,
        thread=thread,
        body=body,
        problems=problems,
    )


@router.post("/family/{patient_id}/messages")
def send_message(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    now: Now,
    body: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    try:
        enrolment = _require_enrolment(family_child)
        if not body.strip():
            raise InvalidInputError.single(
                FieldProblem.missing("body", "a message of 1-4000 characters")
            )
        messages.post(session, page.actor, enrolment_id=enrolment.id, body=body.strip())
    except InvalidInputError as error:
        problems = list(error.problems)
        return _messages_page(request, page, session, family_child, body, problems, 422)
    return RedirectResponse(f"/family/{patient_id}/messages#latest", status_code=303)


# --- the printable plan ------------------------------------------------------------------------


@router.get("/family/{patient_id}/plan")
def plan_page(
    request: Request, patient_id: int, page: Page, session: DbSession, now: Now
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    return render(request, "family/plan.html", page, child=family_child)


@router.get("/family/{patient_id}/plan/document")
def plan_document(
    patient_id: int,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    now: Now,
    week: str = CURRENT_WEEK,
) -> Response:
    """The home plan HTML (the reports module's document) in the family's language."""
    family_child = load_child(session, page, patient_id, now)
    if family_child.enrolment is None:
        raise NotFoundError("home plan", patient_id)
    document = home_plan.render(
        session,
        page.actor,
        enrolment_id=family_child.enrolment.id,
        language=Language(page.language),
        output=OutputFormat.HTML,
        week=week,
        definitions_dir=settings.definitions_dir,
        today=now.date(),
    )
    return Response(
        document.body, media_type=document.media_type, headers={"Cache-Control": "no-store"}
    )
