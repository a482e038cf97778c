"""Seed the synthetic demo cohort (``hemojoint demo``) through the same services as the API.

Everything is labelled synthetic: the centre is "Synthetic demo centre", every child has
``synthetic=True`` and a record number starting "SYN-". The children come from
:mod:`.demo_cohort_profiles` (deterministic from a seed and the day of seeding). The
clinical records are written by the services acting as the demo users, so scores,
triage, eligibility and plans are computed by the domain exactly as in use:
patients, family links, bleeds, assessments, enrolments, plans, check-ins, MDT meetings
and programme completion. Every child completes the 12 weeks except the demo caregiver's
child, who is mid-programme (started :data:`RUNNING_DAYS` before the day of seeding,
home logs so far, no week-12 assessment) so the family pages have a programme running.
Only the bulk of home-session logs (about 2,000 rows) is
inserted through the repository layer, after each log is checked by the domain and
against the child's plan: the service path audits and reloads the plan per log, which
would make the demo slow to come up. The services never commit; the caller does.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.catalog import instrument_catalog
from hemojoint.domain.access import Role
from hemojoint.domain.instruments.choklat import respondent_for_age
from hemojoint.domain.patients import HemophiliaType, Sex, age_at
from hemojoint.domain.prophylaxis import Weekday
from hemojoint.persistence.models import CentreRecord, PatientRecord, UserRecord
from hemojoint.persistence.repositories import admin as admin_queries
from hemojoint.schemas.admin import FamilyLinkCreate, Relationship, UserCreate
from hemojoint.schemas.assessments import AssessmentCreate, Timepoint
from hemojoint.schemas.patients import PatientCreate
from hemojoint.schemas.programme import (
    CandidateFacts,
    EnrolmentComplete,
    EnrolmentCreate,
    PlanGenerate,
)
from hemojoint.services import (
    assessments,
    family_links,
    home,
    patients,
    plans,
    programme,
    users,
)
from hemojoint.services.actor import Actor
from hemojoint.services.demo_cohort_alerts import settle_history
from hemojoint.services.demo_cohort_events import bleed, bleeds_during, upload_check_ins
from hemojoint.services.demo_cohort_home import add_home_logs
from hemojoint.services.demo_cohort_mdt import add_meetings
from hemojoint.services.demo_cohort_profiles import ChildProfile, choklat_responses, cohort
from hemojoint.services.media_store import MediaStore
from hemojoint.services.security import hash_password, new_token

DEMO_CENTRE_CODE = "SYN-DEMO"
DEMO_CENTRE_NAME = "Synthetic demo centre"
# Not a real number: the demo shows where a centre's own line appears.
DEMO_CONTACT_LINE = "000 0000 0000 (synthetic demo number)"
DEFAULT_SEED = 2026
PROGRAMME_DAYS = 84  # 12 weeks; the week-12 assessment is on the last day
RUNNING_DAYS = 21  # the demo caregiver's child started about 3 weeks before seeding
STAFF = (
    Role.HEMATOLOGIST,
    Role.REHAB_PHYSICIAN,
    Role.THERAPIST,
    Role.SONOGRAPHER,
    Role.NURSE,
)
# Rehab sessions fall on infusion days (REFERENCE.md section 1: A three times a week, B twice).
INFUSION_DAYS = {
    HemophiliaType.A: [Weekday.MON, Weekday.WED, Weekday.FRI],
    HemophiliaType.B: [Weekday.TUE, Weekday.FRI],
}
CHECK_INS = {Role.CAREGIVER: 3, Role.PATIENT: 2}


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    username: str
    password: str
    note: str = ""


@dataclass
class DemoCohort:
    centre_id: int
    logins: list[DemoLogin]
    patient_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "centre": DEMO_CENTRE_NAME,
            "patients": len(self.patient_ids),
            "logins": [
                {"role": login.role.value, "username": login.username, "password": login.password}
                | ({"note": login.note} if login.note else {})
                for login in self.logins
            ],
        }


def demo_password(role: Role) -> str:
    """Printed with the logins: this is a local demo of synthetic data, not a secret."""
    return f"demo-{role.value.replace('_', '-')}-pass"


@dataclass
class _Team:
    centre: CentreRecord
    actors: dict[Role, Actor]
    users: dict[Role, UserRecord]
    locked_hash: str  # the hash of a random secret nobody knows: family accounts without login


def seed_demo(
    session: Session,
    *,
    media_store: MediaStore,
    today: date,
    seed: int = DEFAULT_SEED,
    definitions_dir: Path | None = None,
) -> DemoCohort:
    """Fill an empty database with the synthetic cohort; same seed and day, same data."""
    team, logins = _team(session)
    definitions = programme.load_definitions(definitions_dir)
    catalog = instrument_catalog(definitions_dir)
    rng = random.Random(seed + 1)  # the cohort uses ``seed``; the records' details this one
    profiles = cohort(seed, today)
    family_children = _demo_family_children(profiles)
    children = [
        _mid_programme(child, today) if family_children.get(child.number) is Role.CAREGIVER
        else child
        for child in profiles
    ]  # fmt: skip
    result = DemoCohort(team.centre.id, logins)
    enrolled: list[tuple[ChildProfile, int, int]] = []
    for child in children:
        family_role = family_children.get(child.number)
        patient = _register(session, team, child, family_role)
        result.patient_ids.append(patient.id)
        family = _family_actor(session, team, patient, child, family_role)
        running = family_role is Role.CAREGIVER
        until = today if running else None
        enrolment_id = _programme(
            session, team, child, patient, family, catalog, definitions, rng, until
        )
        if family_role is not None:
            upload_check_ins(session, family, media_store, enrolment_id, CHECK_INS[family_role])
        if not running:
            enrolled.append((child, patient.id, enrolment_id))
    for child, patient_id, enrolment_id in enrolled:
        _week_12(session, team, child, patient_id, enrolment_id, catalog)
    add_meetings(session, team.actors, result.patient_ids, today, definitions_dir)
    settle_history(session, team.actors[Role.HEMATOLOGIST], today)
    return result


# --- the centre and its users -------------------------------------------------------------------


def _team(session: Session) -> tuple[_Team, list[DemoLogin]]:
    centre = CentreRecord(
        code=DEMO_CENTRE_CODE, name=DEMO_CENTRE_NAME, contact_line=DEMO_CONTACT_LINE
    )
    session.add(centre)
    session.flush()
    admin = UserRecord(
        username="demo.admin",
        display_name="Demo administrator (synthetic)",
        role=Role.ADMIN,
        centre_id=centre.id,
        password_hash=hash_password(demo_password(Role.ADMIN)),
    )
    session.add(admin)
    session.flush()
    actors = {Role.ADMIN: _actor(admin)}
    people = {Role.ADMIN: admin}
    logins = [DemoLogin(Role.ADMIN, admin.username, demo_password(Role.ADMIN))]
    for role in (*STAFF, Role.CAREGIVER, Role.PATIENT):
        user = _create_user(session, actors[Role.ADMIN], role)
        people[role], actors[role] = user, _actor(user)
        logins.append(DemoLogin(role, user.username, demo_password(role), _login_note(role)))
    locked = hash_password(new_token())
    return _Team(centre, actors, people, locked), logins


def _login_note(role: Role) -> str:
    if role is Role.CAREGIVER:
        return "parent of SYN child (aged 8 or under)"
    if role is Role.PATIENT:
        return "an older SYN child himself"
    return ""


def _create_user(session: Session, admin: Actor, role: Role) -> UserRecord:
    name = role.value.replace("_", " ")
    data = UserCreate(
        username=f"demo.{role.value.replace('_', '.')}",
        display_name=f"Demo {name} (synthetic)",
        role=role,
        password=demo_password(role),
    )
    return users.create(session, admin, data=data)


def _actor(user: UserRecord) -> Actor:
    return Actor(user_id=user.id, role=user.role, centre_id=user.centre_id)


def _demo_family_children(children: Sequence[ChildProfile]) -> dict[int, Role]:
    """The demo caregiver's child (8 or under) and the demo patient (14 or over)."""
    young = next(c for c in children if c.age_at_start <= 8 and c.iliopsoas is None)
    old = next(c for c in children if c.age_at_start >= 14 and c.iliopsoas is None)
    return {young.number: Role.CAREGIVER, old.number: Role.PATIENT}


def _mid_programme(child: ChildProfile, today: date) -> ChildProfile:
    """The child started :data:`RUNNING_DAYS` before ``today``, at the same age as planned.

    The birth date moves with the start, so the age at baseline, at the start and on the
    day of seeding stays ``age_at_start`` (the cohort's ages are unchanged).
    """
    start = today - timedelta(days=RUNNING_DAYS)
    shift = start - child.start_date
    return replace(child, start_date=start, birth_date=child.birth_date + shift)


# --- one child ----------------------------------------------------------------------------------


def _register(
    session: Session, team: _Team, child: ChildProfile, family_role: Role | None
) -> PatientRecord:
    data = PatientCreate(
        record_number=child.record_number,
        given_name=child.given_name,
        family_name=f"Synthetic {child.number:03d}",
        birth_date=child.birth_date,
        sex=Sex.MALE,
        hemophilia_type=child.hemophilia_type,
        factor_activity_iu_dl=child.factor_activity_iu_dl,
        prior_regimen=child.prior_regimen,
        synthetic=True,
    )
    return patients.create(session, team.actors[Role.HEMATOLOGIST], data=data)


def _family_actor(
    session: Session,
    team: _Team,
    patient: PatientRecord,
    child: ChildProfile,
    demo_role: Role | None,
) -> Actor:
    """The demo family user, or a family account without a login, linked to the child."""
    if demo_role is not None:
        user = team.users[demo_role]
    else:
        user = UserRecord(
            username=f"family.{child.record_number.lower()}",
            display_name=f"Family of {child.record_number} (synthetic, no login)",
            role=Role.CAREGIVER,
            centre_id=team.centre.id,
            password_hash=team.locked_hash,
        )
        session.add(user)
        session.flush()
    relationship = Relationship.SELF if user.role is Role.PATIENT else Relationship.PARENT
    link = FamilyLinkCreate(user_id=user.id, relationship=relationship)
    family_links.link(session, team.actors[Role.ADMIN], patient_id=patient.id, data=link)
    return _actor(user)


def _programme(
    session: Session,
    team: _Team,
    child: ChildProfile,
    patient: PatientRecord,
    family: Actor,
    catalog: Any,
    definitions: programme.ProgrammeDefinitions,
    rng: random.Random,
    until: date | None = None,
) -> int:
    """Bleeds before, baseline, enrolment, plan, home logs and bleeds during: the enrolment id.

    ``until``: the programme is still running, so nothing is logged from that day on.
    """
    for number in range(child.bleeds_before):
        # At least 4 weeks before the start: a recent bleed would exclude the child.
        day = child.start_date - timedelta(days=rng.randint(29, 84))
        bleed(session, team.actors[Role.HEMATOLOGIST], patient.id, child, day, number, rng)
    baseline_day = child.start_date - timedelta(days=rng.randint(1, 7))
    ids = _assessments(session, team, child, patient.id, baseline_day, Timepoint.BASELINE, catalog)
    enrolment = programme.enrol(
        session,
        team.actors[Role.REHAB_PHYSICIAN],
        patient_id=patient.id,
        data=EnrolmentCreate(
            start_date=child.start_date,
            candidate=_screening(child),
            baseline_hjhs_id=ids["hjhs"],
            baseline_ultrasound_id=ids["head_us_c"],
            baseline_choklat_id=ids["choklat"],
            infusion_weekdays=INFUSION_DAYS[child.hemophilia_type],
        ),
    )
    plans.generate(
        session,
        team.actors[Role.THERAPIST],
        enrolment_id=enrolment.id,
        data=PlanGenerate(),
        definitions=definitions,
    )
    add_home_logs(session, enrolment, family.user_id, child.adherence, rng, until)
    bleeds_during(session, family, patient.id, child, enrolment.start_date, rng, until)
    return enrolment.id


def _screening(child: ChildProfile) -> CandidateFacts:
    """The team's screening answers: the child meets every criterion (REFERENCE.md section 1)."""
    return CandidateFacts.model_validate(
        {
            "follows_simple_training": True,
            "joint_bleed_imaging": {"modality": "ultrasound", "finding": "synovitis"},
            "joint_pain": True,
            "restricted_motion": True,
            "completes_12_weeks": True,
            "active_bleed_on_ultrasound": False,
            "severe_active_bleeding": False,
            "heart_liver_or_kidney_disease": False,
            "other_serious_condition": False,
            "inhibitor_tests": [
                {"tested_on": child.start_date - timedelta(days=30), "result": "negative"}
            ],
        }
    )


def _assessments(
    session: Session,
    team: _Team,
    child: ChildProfile,
    patient_id: int,
    day: date,
    timepoint: Timepoint,
    catalog: Any,
) -> dict[str, int]:
    baseline = timepoint is Timepoint.BASELINE
    age = age_at(child.birth_date, day).years
    item_sum = child.choklat_before_sum if baseline else child.choklat_after_sum
    # The rng for the answers is seeded per child and timepoint: independent of call order.
    answers = choklat_responses(random.Random(f"{child.number}-{timepoint.value}"), item_sum)
    raws = {
        "hjhs": (Role.THERAPIST, child.hjhs_before if baseline else child.hjhs_after),
        "head_us_c": (
            Role.SONOGRAPHER,
            child.head_us_c_before if baseline else child.head_us_c_after,
        ),
        "choklat": (
            Role.NURSE,
            {
                "respondent": respondent_for_age(age).value,
                "age_years": age,
                "responses": answers,
            },
        ),
    }
    ids = {}
    for code, (role, raw) in raws.items():
        data = AssessmentCreate(
            instrument_code=code, assessed_date=day, timepoint=timepoint, raw=raw
        )
        record = assessments.create(
            session, team.actors[role], catalog=catalog, patient_id=patient_id, data=data
        )
        ids[code] = record.id
    return ids


def _week_12(
    session: Session,
    team: _Team,
    child: ChildProfile,
    patient_id: int,
    enrolment_id: int,
    catalog: Any,
) -> None:
    enrolment = programme.get_visible(session, team.actors[Role.REHAB_PHYSICIAN], enrolment_id)
    # The last day of week 12, counted from day 1 of week 1 (the first infusion day).
    last_day = home.programme_start(enrolment) + timedelta(days=PROGRAMME_DAYS - 1)
    _assessments(session, team, child, patient_id, last_day, Timepoint.WEEK_12, catalog)
    programme.complete(
        session,
        team.actors[Role.REHAB_PHYSICIAN],
        enrolment_id=enrolment_id,
        data=EnrolmentComplete(version=enrolment.version, ended_date=last_day),
    )


def is_demo_database(session: Session) -> bool:
    """Whether the database holds the demo centre (so ``hemojoint demo`` may replace it)."""
    return admin_queries.find_centre_by_code(session, DEMO_CENTRE_CODE) is not None
