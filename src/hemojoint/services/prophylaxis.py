"""Factor products of a centre, prophylaxis regimens and infusions of a patient.

Products belong to a centre, not to a patient: they are read by everyone signed in
at that centre and written by the roles of the permission matrix; another centre's
product is not found. Regimens and infusions are child records of a patient
(services.child_records) whose ``derive`` hooks apply the domain's rules:
the programme's regimen (REFERENCE.md section 1) and IU/kg from the recorded weight.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import ColumnElement, inspect
from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.prophylaxis import Factor, FactorProduct, ProgrammeRegimen, programme_regimen
from hemojoint.domain.prophylaxis.dosing import MAX_WEIGHT_KG
from hemojoint.domain.validation import ProblemCollector, fail
from hemojoint.persistence import repositories
from hemojoint.persistence.models import (
    InfusionRecord,
    PatientRecord,
    ProductRecord,
    RegimenRecord,
)
from hemojoint.persistence.repositories import Page
from hemojoint.persistence.repositories import bleeds as bleed_queries
from hemojoint.persistence.repositories import prophylaxis as queries
from hemojoint.schemas.prophylaxis import (
    InfusionRead,
    InfusionReason,
    ProductCreate,
    ProductRead,
    ProductUpdate,
    RegimenRead,
)
from hemojoint.services import audit, records
from hemojoint.services.actor import Actor
from hemojoint.services.child_records import ChildKind
from hemojoint.services.errors import NotFoundError

PRODUCT = "product"


# --- products -------------------------------------------------------------------------------


def render_product(record: ProductRecord) -> dict[str, Any]:
    return ProductRead.model_validate(record).model_dump(mode="json")


def list_products(
    session: Session,
    actor: Actor,
    *,
    factor: Factor | None = None,
    archived: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    actor.require(Action.READ, RecordType.PRODUCT)
    archived_clause = (
        ProductRecord.archived_at.is_not(None) if archived else ProductRecord.archived_at.is_(None)
    )
    conditions: list[ColumnElement[bool]] = [
        ProductRecord.centre_id == actor.centre_id,
        archived_clause,
    ]
    if factor is not None:
        conditions.append(ProductRecord.factor == factor.value)
    order = (ProductRecord.name, ProductRecord.id)
    return repositories.page(
        session, ProductRecord, conditions, offset=offset, limit=limit, order_by=order
    )


def get_product(session: Session, actor: Actor, *, product_id: int) -> ProductRecord:
    record = _centre_product(session, actor, product_id)
    actor.require(Action.READ, RecordType.PRODUCT)
    return record


def create_product(session: Session, actor: Actor, *, data: ProductCreate) -> ProductRecord:
    actor.require(Action.WRITE, RecordType.PRODUCT)
    product = _checked_product(
        data.name, data.factor, data.vial_sizes_iu, data.recovery_iu_dl_per_iu_kg
    )
    record = ProductRecord(centre_id=actor.centre_id, **_columns(product))
    session.add(record)
    session.flush()
    _audit_product(session, actor, "create", record)
    return record


def update_product(
    session: Session, actor: Actor, *, product_id: int, data: ProductUpdate
) -> ProductRecord:
    record = _centre_product(session, actor, product_id)
    actor.require(Action.WRITE, RecordType.PRODUCT)
    records.check_version(record, data.version, render_product)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    merged = _columns_of(record) | changes
    product = _checked_product(
        merged["name"],
        merged["factor"],
        merged["vial_sizes_iu"],
        merged["recovery_iu_dl_per_iu_kg"],
    )
    records.apply_changes(record, _columns(product))
    session.flush()
    _audit_product(session, actor, "update", record, detail={"fields": sorted(changes)})
    return record


def set_product_archived(
    session: Session, actor: Actor, *, product_id: int, version: int, reason: str | None
) -> ProductRecord:
    """Archive (with a reason) or restore (reason None); regimens keep pointing at it."""
    record = _centre_product(session, actor, product_id)
    actor.require(Action.WRITE, RecordType.PRODUCT)
    records.check_version(record, version, render_product)
    records.set_archived(record, reason)
    session.flush()
    _audit_product(session, actor, "archive" if reason else "restore", record)
    return record


def _centre_product(session: Session, actor: Actor, product_id: int) -> ProductRecord:
    """Family users see their own ``centre_id``'s products (a simplification, issue 3)."""
    record = queries.get_centre_product(session, actor.centre_id, product_id)
    if record is None:
        raise NotFoundError(PRODUCT, product_id)
    return record


def _checked_product(
    name: str, factor: Factor | str, vial_sizes_iu: Sequence[Any], recovery: float | None
) -> FactorProduct:
    """The domain's product; its problems are renamed to the API's top-level fields.

    Without a recovery the domain's default for the factor applies (REFERENCE.md section 2).
    """
    try:
        if recovery is None:
            return FactorProduct.with_default_recovery(name, factor, tuple(vial_sizes_iu))
        return FactorProduct(name, Factor(factor), tuple(vial_sizes_iu), recovery)
    except InvalidInputError as error:
        raise renamed(error, lambda field: field.removeprefix("product.")) from None


def _columns(product: FactorProduct) -> dict[str, Any]:
    return {
        "name": product.name,
        "factor": product.factor.value,
        "vial_sizes_iu": list(product.vial_sizes_iu),
        "recovery_iu_dl_per_iu_kg": product.recovery_iu_dl_per_iu_kg,
    }


def _columns_of(record: ProductRecord) -> dict[str, Any]:
    return {
        "name": record.name,
        "factor": record.factor,
        "vial_sizes_iu": record.vial_sizes_iu,
        "recovery_iu_dl_per_iu_kg": record.recovery_iu_dl_per_iu_kg,
    }


def domain_product(record: ProductRecord) -> FactorProduct:
    return FactorProduct(
        record.name,
        Factor(record.factor),
        tuple(record.vial_sizes_iu),
        record.recovery_iu_dl_per_iu_kg,
    )


def _audit_product(
    session: Session,
    actor: Actor,
    action: str,
    record: ProductRecord,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(session, actor, action=action, entity=PRODUCT, entity_id=record.id, detail=detail)


def renamed(error: InvalidInputError, rename: Callable[[str], str]) -> InvalidInputError:
    """The same problems under the names the client used (the domain names its own inputs)."""
    problems = []
    for problem in error.problems:
        field = rename(problem.field)
        message = field + problem.message.removeprefix(problem.field)
        problems.append(FieldProblem(field, problem.value, problem.allowed, message))
    return InvalidInputError(problems)


# --- what regimens and infusions share ------------------------------------------------------


def _changed(record: Any, name: str) -> bool:
    """True for a new record, or when this write changes ``name``."""
    state = inspect(record)
    return bool(state.transient or state.pending or state.attrs[name].history.has_changes())


def _usable_product(session: Session, patient: PatientRecord, record: Any) -> ProductRecord:
    """A product of the patient's centre; an archived one only if the record already had it."""
    product = queries.get_centre_product(session, patient.centre_id, record.product_id)
    if product is None or (product.is_archived and _changed(record, "product_id")):
        raise fail(
            FieldProblem.invalid(
                "product_id",
                record.product_id,
                "a product of this patient's centre that is not archived",
                "is not a usable product of this patient's centre",
            )
        )
    return product


def _stamp(record: Any, column: str, actor: Actor) -> None:
    """The first writer is the prescriber or recorder; later edits are in the audit log."""
    if getattr(record, column) is None:
        setattr(record, column, actor.user_id)


# --- regimens -------------------------------------------------------------------------------


def derive_regimen(
    session: Session, patient: PatientRecord, record: RegimenRecord, actor: Actor
) -> None:
    """Validate against the programme's rule and store the weekdays the domain settled on."""
    # No autoflush: a half-derived row flushed by our own query would bump the version twice.
    with session.no_autoflush:
        _derive_regimen(session, patient, record, actor)


def _derive_regimen(
    session: Session, patient: PatientRecord, record: RegimenRecord, actor: Actor
) -> None:
    problems = ProblemCollector()
    product = problems.check(_usable_product, session, patient, record)
    problems.check(_check_end_date, record)
    problems.check(_check_implied_weight, record)
    if product is None or problems.problems:
        raise InvalidInputError(problems.problems)
    regimen = _programme_check(patient, record, product)
    record.weekdays = [day.value for day in regimen.weekdays]
    _stamp(record, "prescribed_by_id", actor)


def _check_end_date(record: RegimenRecord) -> None:
    if record.end_date is not None and record.end_date < record.start_date:
        start = record.start_date.isoformat()
        raise fail(
            FieldProblem.invalid(
                "end_date",
                record.end_date.isoformat(),
                f"on or after {start}",
                f"is before {start}",
            )
        )


def _implied_weight_kg(record: RegimenRecord) -> float:
    """The weight the prescription was dosed for: dose_iu / dose_iu_per_kg.

    Why not the last recorded weight: the programme's checks (dose per kg,
    frequency, factor) do not depend on weight, and a regimen may be written
    before a weight is recorded; the domain needs one only to round to vials.
    """
    return record.dose_iu / record.dose_iu_per_kg


def _check_implied_weight(record: RegimenRecord) -> None:
    weight = _implied_weight_kg(record)
    if weight > MAX_WEIGHT_KG:
        why = f"at {record.dose_iu_per_kg:g} IU/kg implies {weight:g} kg"
        allowed = f"at most {MAX_WEIGHT_KG} kg x dose_iu_per_kg"
        raise fail(FieldProblem.invalid("dose_iu", record.dose_iu, allowed, why))


def _programme_check(
    patient: PatientRecord, record: RegimenRecord, product: ProductRecord
) -> ProgrammeRegimen:
    try:
        return programme_regimen(
            patient.hemophilia_type,
            _implied_weight_kg(record),
            domain_product(product),
            dose_iu_per_kg=record.dose_iu_per_kg,
            infusions_per_week=record.infusions_per_week,
            weekdays=record.weekdays,
            exception_reason=record.exception_reason,
        )
    except InvalidInputError as error:
        # The client chose the product; a wrong factor is a wrong product_id.
        raise renamed(
            error, lambda field: "product_id" if field == "product.factor" else field
        ) from None


REGIMENS = ChildKind(
    entity="regimen",
    model=RegimenRecord,
    record_type=RecordType.REGIMEN,
    read_schema=RegimenRead,
    derive=derive_regimen,
    order_by=(RegimenRecord.start_date.desc(), RegimenRecord.id.desc()),
)


# --- infusions ------------------------------------------------------------------------------


def derive_infusion(
    session: Session, patient: PatientRecord, record: InfusionRecord, actor: Actor
) -> None:
    """Check product and bleed, derive IU/kg from the recorded weight, stamp the recorder."""
    # No autoflush: a half-derived row flushed by our own query would bump the version twice.
    with session.no_autoflush:
        _derive_infusion(session, patient, record, actor)


def _derive_infusion(
    session: Session, patient: PatientRecord, record: InfusionRecord, actor: Actor
) -> None:
    # In UTC as the database keeps it, so the response to a write equals a later read.
    record.given_at = record.given_at.astimezone(UTC)
    problems = ProblemCollector()
    problems.check(_usable_product, session, patient, record)
    problems.check(_check_bleed, session, patient, record)
    problems.raise_if_any()
    record.dose_iu_per_kg = _dose_iu_per_kg(session, patient, record)
    _stamp(record, "recorded_by_id", actor)


def _check_bleed(session: Session, patient: PatientRecord, record: InfusionRecord) -> None:
    if record.bleed_id is None:
        return
    allowed = "a bleed of this patient that is not archived, with reason bleed"
    bleed = bleed_queries.get_patient_bleed(session, patient.id, record.bleed_id)
    if bleed is None or (bleed.is_archived and _changed(record, "bleed_id")):
        why = "is not a bleed of this patient"
        raise fail(FieldProblem.invalid("bleed_id", record.bleed_id, allowed, why))
    if record.reason != InfusionReason.BLEED:
        why = f"is given but reason is {str(record.reason)!r}, not 'bleed'"
        raise fail(FieldProblem.invalid("bleed_id", record.bleed_id, allowed, why))


def _dose_iu_per_kg(
    session: Session, patient: PatientRecord, record: InfusionRecord
) -> float | None:
    """dose_iu / weight_kg, with the latest weight measured on or before the infusion's day.

    The day is the UTC date of ``given_at``: the database keeps instants in UTC and
    no centre time zone is recorded, so this is the one reading that gives the same
    answer on create and on every later update. Recomputed on every write, so a
    weight entered late is used from the next edit on.
    """
    weight = queries.latest_weight_on_or_before(session, patient.id, record.given_at.date())
    return None if weight is None else record.dose_iu / weight.weight_kg


INFUSIONS = ChildKind(
    entity="infusion",
    model=InfusionRecord,
    record_type=RecordType.INFUSION,
    read_schema=InfusionRead,
    derive=derive_infusion,
    order_by=(InfusionRecord.given_at.desc(), InfusionRecord.id.desc()),
)
