"""The handlers of ``hemojoint programme ...`` (parsers in :mod:`hemojoint.cli.programme`).

Each handler validates its input with the API's schema, resolves the acting user,
calls the service the API route calls, and returns what the route returns, as JSON.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from hemojoint.cli.io import read_json
from hemojoint.cli.transaction import transaction
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.persistence import repositories
from hemojoint.persistence.models import PatientRecord
from hemojoint.reports.labels import Language
from hemojoint.schemas.home import AdherenceRead, HomeLogCreate, HomeLogRead
from hemojoint.schemas.mdt import AgendaRead
from hemojoint.schemas.programme import (
    ClearanceCreate,
    ClearanceRead,
    EnrolmentCreate,
    EnrolmentRead,
    PlanEdit,
    PlanGenerate,
    PlanVersionRead,
    ReviewCreate,
    ReviewRead,
)
from hemojoint.services import adherence as adherence_service
from hemojoint.services import auth, home, imports, mdt, plans, programme, reviews
from hemojoint.services import home_plan as home_plan_service
from hemojoint.services.actor import Actor
from hemojoint.services.errors import ConflictError, NotFoundError
from hemojoint.services.home_plan import OutputFormat
from hemojoint.services.operations import CLI_ADDRESS, OperationRefusedError
from hemojoint.settings import get_settings

_M = TypeVar("_M", bound=BaseModel)


def now() -> datetime:
    """The clock of every command (the API's is ``web.api.deps.now``); tests may replace it."""
    return datetime.now(UTC)


# --- the frame every command runs in --------------------------------------------------------------


@contextmanager
def acting(
    args: argparse.Namespace, centre_code: str | None = None
) -> Iterator[tuple[Session, Actor]]:
    """One transaction and the user ``--as`` names; a conflict on commit is one line too."""
    try:
        with transaction(get_settings()) as session:
            yield session, _actor(session, args.as_user, centre_code)
    except (IntegrityError, StaleDataError) as error:
        # The API answers these with 409; nothing was written.
        raise ConflictError("the change conflicts with an existing or changed record") from error


def _actor(session: Session, username: str, centre_code: str | None) -> Actor:
    """The named user as the services see them; with ``--centre``, they must belong to it.

    The import's rule (active, of the centre) is reused as it is, with our address.
    """
    if centre_code is not None:
        found = imports.importer(session, centre_code=centre_code, username=username)
        return replace(found, address=CLI_ADDRESS)
    user = repositories.find_user_by_username(session, username)
    if user is None or user.is_archived:
        raise OperationRefusedError(f"user {username!r} does not exist or is archived")
    return auth.actor_for(user, CLI_ADDRESS)


def _patient(session: Session, actor: Actor, record_number: str) -> PatientRecord:
    """A patient of the actor's centre by record number (the service then checks visibility)."""
    found = repositories.find_patient_by_record_number(session, actor.centre_id, record_number)
    if found is None:
        raise NotFoundError("patient", record_number)
    return found


def parse(schema: type[_M], data: Any, source: str) -> _M:
    """``data`` checked by the API's schema; every problem named by its field, on one line."""
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise InvalidInputError(_problems(error, source)) from error


def _problems(error: ValidationError, source: str) -> list[FieldProblem]:
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "body"
        expected = (item.get("ctx") or {}).get("expected")
        value = item.get("input") if isinstance(item.get("input"), str | int | float) else None
        message = f"{source}{name}: {item['msg']}"
        problems.append(FieldProblem(name, value, str(expected or item["msg"]), message))
    return problems


def _days(text: str | None) -> list[str] | None:
    return None if text is None else [day.strip() for day in text.split(",") if day.strip()]


def _without_none(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def _dump(schema: type[BaseModel], value: Any) -> dict[str, Any]:
    return schema.model_validate(value).model_dump(mode="json")


def _definitions() -> programme.ProgrammeDefinitions:
    return programme.load_definitions(get_settings().definitions_dir)


# --- enrolment and plans ------------------------------------------------------------------------


def enrol(args: argparse.Namespace) -> dict[str, Any]:
    facts = read_json(args.facts)
    body = _without_none(
        start_date=args.start,
        candidate=facts,
        regimen_id=args.regimen,
        baseline_hjhs_id=args.baseline_hjhs,
        baseline_ultrasound_id=args.baseline_ultrasound,
        baseline_choklat_id=args.baseline_choklat,
        infusion_weekdays=_days(args.infusion_weekdays),
    )
    data = parse(EnrolmentCreate, body, "")
    with acting(args, args.centre) as (session, actor):
        patient = _patient(session, actor, args.patient)
        record = programme.enrol(session, actor, patient_id=patient.id, data=data)
        return _dump(EnrolmentRead, record)


def plan_generate(args: argparse.Namespace) -> dict[str, Any]:
    body = _without_none(
        home_weekdays=_days(args.home_weekdays),
        home_equipment=_days(args.home_equipment),
        reason=args.reason,
    )
    data = parse(PlanGenerate, body, "")
    with acting(args) as (session, actor):
        version = plans.generate(
            session, actor, enrolment_id=args.enrolment_id, data=data, definitions=_definitions()
        )
        return _dump(PlanVersionRead, plans.render(version, args.enrolment_id))


def plan_show(args: argparse.Namespace) -> dict[str, Any]:
    with acting(args) as (session, actor):
        if args.version is None:
            version, enrolment = plans.current(session, actor, enrolment_id=args.enrolment_id)
        else:
            version, enrolment = plans.version(
                session, actor, enrolment_id=args.enrolment_id, number=args.version
            )
        return _dump(PlanVersionRead, plans.render(version, enrolment))


def plan_edit(args: argparse.Namespace) -> dict[str, Any]:
    data = parse(PlanEdit, read_json(args.file), f"{args.file}: ")
    with acting(args) as (session, actor):
        version = plans.edit(
            session,
            actor,
            enrolment_id=args.enrolment_id,
            data=data,
            definitions=_definitions(),
            now=now(),
        )
        return _dump(PlanVersionRead, plans.render(version, args.enrolment_id))


# --- home training ----------------------------------------------------------------------------


def log_session(args: argparse.Namespace) -> dict[str, Any]:
    data = parse(HomeLogCreate, read_json(args.file), f"{args.file}: ")
    with acting(args) as (session, actor):
        record = home.create_log(
            session,
            actor,
            enrolment_id=args.enrolment_id,
            values=data.model_dump(),
            today=now().date(),
        )
        return _dump(HomeLogRead, record)


def adherence(args: argparse.Namespace) -> dict[str, Any]:
    rules = adherence_service.adherence_rules(get_settings().definitions_dir)
    with acting(args) as (session, actor):
        report = adherence_service.adherence(
            session,
            actor,
            enrolment_id=args.enrolment_id,
            today=now().date(),
            through_week=args.through_week,
            rules=rules,
        )
        return _dump(AdherenceRead, report.as_dict())


def home_plan(args: argparse.Namespace) -> dict[str, Any]:
    target = Path(args.out)
    _refuse_overwrite(target, force=args.force)
    output = OutputFormat(args.output)
    with acting(args) as (session, actor):
        document = home_plan_service.render(
            session,
            actor,
            enrolment_id=args.enrolment_id,
            language=Language(args.lang),
            output=output,
            week=args.week,
            definitions_dir=get_settings().definitions_dir,
            today=now().date(),
        )
        # Written inside the transaction: a file that cannot be written leaves no audit entry.
        _write(target, document.body, force=args.force)
        return {
            "enrolment_id": args.enrolment_id,
            "file": str(target),
            "format": output.value,
            "language": args.lang,
            "week": args.week,
            "bytes": len(document.body),
            "media_type": document.media_type,
        }


def _refuse_overwrite(target: Path, *, force: bool) -> None:
    if target.exists() and not force:
        raise OperationRefusedError(f"{target} already exists; use --force to replace it")
    if target.is_dir():
        raise OperationRefusedError(f"{target} is a directory; name a file")


def _write(target: Path, body: bytes, *, force: bool) -> None:
    try:
        # "x" refuses a file created since the check above; --force replaces it.
        with target.open("wb" if force else "xb") as stream:
            stream.write(body)
    except FileExistsError as error:
        raise OperationRefusedError(
            f"{target} already exists; use --force to replace it"
        ) from error
    except OSError as error:
        raise OperationRefusedError(f"{target}: cannot be written ({error.strerror})") from error


# --- reviews, clearances and the MDT agenda -----------------------------------------------------


def review(args: argparse.Namespace) -> dict[str, Any]:
    data = parse(ReviewCreate, {"week": args.week}, "")
    with acting(args) as (session, actor):
        record = reviews.review_week(
            session,
            actor,
            enrolment_id=args.enrolment_id,
            week=data.week,
            definitions=_definitions(),
            now=now(),
        )
        return _dump(ReviewRead, record)


def clear_joint(args: argparse.Namespace) -> dict[str, Any]:
    data = parse(
        ClearanceCreate, _without_none(joint=args.joint, bleed_id=args.bleed, note=args.note), ""
    )
    with acting(args, args.centre) as (session, actor):
        patient = _patient(session, actor, args.patient)
        record = reviews.clear_joint(session, actor, patient_id=patient.id, data=data, now=now())
        return _dump(ClearanceRead, record)


def mdt_agenda(args: argparse.Namespace) -> dict[str, Any]:
    as_of = _date("as_of", args.as_of) if args.as_of else now().date()
    rules = adherence_service.adherence_rules(get_settings().definitions_dir)
    with acting(args, args.centre) as (session, actor):
        built = mdt.agenda(session, actor, as_of=as_of, adherence_rules=rules)
        return _dump(
            AgendaRead,
            {
                "as_of": built.as_of,
                "since": built.since,
                "previous_meeting_id": built.previous_meeting.id
                if built.previous_meeting
                else None,
                "next_meeting_date": built.earliest_next_meeting,
                "items": built.items_as_dicts(),
            },
        )


def _date(field: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        problem = FieldProblem.invalid(field, text, "a date YYYY-MM-DD", "is not a date YYYY-MM-DD")
        raise InvalidInputError.single(problem) from error
