"""A family reports a bleed with the triage questions and is told at once what to do.

The bleeds service triages the report (``domain.triage``, REFERENCE.md section 4) and
raises an alert for the team when it is emergency or urgent; this page only asks the
questions in plain words and shows the advice for the urgency the service computed.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.triage import Finding, Urgency
from hemojoint.persistence.models import BleedRecord
from hemojoint.services import child_records, family_view
from hemojoint.services.bleeds import BLEEDS
from hemojoint.services.errors import NotFoundError
from hemojoint.web.api.deps import DbSession, Now
from hemojoint.web.i18n import N_
from hemojoint.web.pages.context import Page
from hemojoint.web.pages.family_common import (
    family_zone,
    load_child,
    local_input_value,
    parse_local_moment,
)
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

# What to do, by the urgency the domain computed (REFERENCE.md section 4: groin pain with
# femoral nerve signs is an emergency, "factor at once and hospital assessment"; software
# flags and routes and says it never replaces the clinician's judgement).
ADVICE: dict[str, dict[str, Any]] = {
    Urgency.EMERGENCY.value: {
        "box": "alert-emergency",
        "heading": N_("Emergency: give factor now and go to hospital now"),
        "steps": (
            N_("Give factor now, as your treatment plan says."),
            N_("Go to hospital now. Do not wait to see if it gets better."),
            N_("The hemophilia treatment centre has been alerted. Call them on the way."),
        ),
    },
    Urgency.URGENT.value: {
        "box": "alert-urgent",
        "heading": N_("Urgent: give factor and contact the treatment centre today"),
        "steps": (
            N_("Give factor as your treatment plan says."),
            N_("Contact the hemophilia treatment centre today; the team has been alerted."),
            N_("Rest the area and stop the home exercises until the team says so."),
            N_(
                "Go to hospital now if the front or inner thigh goes numb or tingles, the knee "
                "gets weak or gives way, or the child is pale or dizzy."
            ),
        ),
    },
    Urgency.ROUTINE.value: {
        "box": "alert-routine",
        "heading": N_("No warning signs reported"),
        "steps": (
            N_("Rest, protect the area and cool it (ice wrapped in a cloth)."),
            N_("Contact the care team as usual, and sooner if it gets worse or new signs appear."),
        ),
    },
}
DISCLAIMER = N_("This supports, not replaces, clinical judgement. If in doubt, call the centre.")

# Sites a parent can name. "Groin" is not a site of the registry: it is recorded as
# "other" with the groin-pain finding, which the triage reads as an iliopsoas pointer.
GROIN = "groin"
SITES: tuple[tuple[str, str], ...] = (
    (BleedSite.LEFT_ANKLE.value, N_("Left ankle")),
    (BleedSite.RIGHT_ANKLE.value, N_("Right ankle")),
    (BleedSite.LEFT_KNEE.value, N_("Left knee")),
    (BleedSite.RIGHT_KNEE.value, N_("Right knee")),
    (BleedSite.LEFT_ELBOW.value, N_("Left elbow")),
    (BleedSite.RIGHT_ELBOW.value, N_("Right elbow")),
    (BleedSite.LEFT_HIP.value, N_("Left hip")),
    (BleedSite.RIGHT_HIP.value, N_("Right hip")),
    (GROIN, N_("Groin (where the leg meets the body)")),
    (BleedSite.LEFT_THIGH.value, N_("Left thigh")),
    (BleedSite.RIGHT_THIGH.value, N_("Right thigh")),
    (BleedSite.LEFT_CALF.value, N_("Left calf")),
    (BleedSite.RIGHT_CALF.value, N_("Right calf")),
    (BleedSite.LEFT_SHOULDER.value, N_("Left shoulder")),
    (BleedSite.RIGHT_SHOULDER.value, N_("Right shoulder")),
    (BleedSite.LEFT_WRIST.value, N_("Left wrist")),
    (BleedSite.RIGHT_WRIST.value, N_("Right wrist")),
    (BleedSite.HEAD.value, N_("Head")),
    (BleedSite.NECK.value, N_("Neck")),
    (BleedSite.THROAT.value, N_("Throat")),
    (BleedSite.ABDOMEN.value, N_("Belly (abdomen)")),
    (BleedSite.MOUTH.value, N_("Mouth")),
    (BleedSite.NOSE.value, N_("Nose")),
    (BleedSite.SKIN.value, N_("Skin (bruise)")),
    (BleedSite.OTHER.value, N_("Somewhere else")),
)
SITE_CODES = tuple(code for code, _ in SITES)

BLEED_TYPES = (
    (BleedType.TRAUMATIC.value, N_("After a knock, fall or injury")),
    (BleedType.SPONTANEOUS.value, N_("No known cause")),
)

# The domain's finding codes as yes/no questions in plain words, grouped as a parent
# would look for them (REFERENCE.md section 4 lists the red flags).
QUESTIONS: tuple[tuple[str, tuple[tuple[Finding, str], ...]], ...] = (
    (
        N_("Hip, groin and thigh"),
        (
            (Finding.GROIN_PAIN, N_("Pain in the groin?")),
            (Finding.LOWER_ABDOMINAL_PAIN, N_("Pain low in the belly?")),
            (Finding.HIP_PAIN, N_("Pain in the hip?")),
            (Finding.THIGH_PAIN, N_("Pain in the front of the thigh?")),
            (Finding.BACK_PAIN, N_("Pain in the lower back?")),
            (Finding.HIP_HELD_FLEXED, N_("Is the hip kept bent (the leg pulled up)?")),
            (
                Finding.PAIN_ON_HIP_EXTENSION,
                N_("Cannot straighten the hip, or it hurts when the hip is straightened?"),
            ),
            (Finding.PAIN_ON_HIP_ROTATION, N_("Does it hurt when the leg is turned in or out?")),
            (Finding.LIMP_OR_CANNOT_STAND_STRAIGHT, N_("Limping, or cannot stand up straight?")),
        ),
    ),
    (
        N_("Thigh and knee nerves"),
        (
            (Finding.THIGH_NUMBNESS, N_("Numbness or tingling on the front or inner thigh?")),
            (Finding.KNEE_EXTENSION_WEAKNESS, N_("Weakness straightening the knee?")),
            (Finding.KNEE_GIVING_WAY, N_("Does the knee give way?")),
            (Finding.REDUCED_KNEE_REFLEX, N_("Has a nurse or doctor found a weaker knee reflex?")),
        ),
    ),
    (
        N_("Head, neck and belly"),
        (
            (Finding.HEAD_INJURY, N_("A knock or injury to the head?")),
            (Finding.SEVERE_HEADACHE, N_("A very bad headache?")),
            (Finding.VOMITING, N_("Vomiting?")),
            (Finding.NECK_SWELLING, N_("Swelling of the neck?")),
            (
                Finding.THROAT_SWELLING_OR_DIFFICULTY_SWALLOWING,
                N_("Swelling in the throat, or difficulty swallowing?"),
            ),
            (Finding.ABDOMINAL_PAIN, N_("Pain in the belly?")),
            (Finding.BLOOD_IN_STOOL_OR_VOMIT, N_("Blood in the stool or in vomit?")),
        ),
    ),
    (
        N_("Whole body and limbs"),
        (
            (Finding.PALLOR_OR_DIZZINESS, N_("Pale or dizzy?")),
            (Finding.FAST_HEART_RATE, N_("A fast heartbeat?")),
            (Finding.TENSE_SWOLLEN_LIMB, N_("An arm or leg that is tense, hard and swollen?")),
        ),
    ),
    (
        N_("The joint"),
        (
            (Finding.JOINT_SWELLING, N_("Is the joint swollen?")),
            (Finding.JOINT_PAIN, N_("Does the joint hurt?")),
            (Finding.JOINT_WARMTH, N_("Is the joint warm?")),
            (Finding.REDUCED_MOTION, N_("Does the joint move less than usual?")),
        ),
    ),
)


@router.get("/family/{patient_id}/bleed")
def bleed_form(
    request: Request, patient_id: int, page: Page, session: DbSession, now: Now
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    form = {
        "site": "",
        "bleed_type": "",
        "started": local_input_value(now, family_zone("")),
        "findings": [],
        "notes": "",
        "tz_offset": "",
    }
    return _form_page(request, page, family_child, form, problems=[], status_code=200)


def _form_page(
    request: Request,
    page: Any,
    family_child: Any,
    form: dict[str, Any],
    problems: list[FieldProblem],
    status_code: int,
) -> Response:
    return render(
        request,
        "family/bleed.html",
        page,
        status_code=status_code,
        child=family_child,
        form=form,
        problems=problems,
        sites=SITES,
        bleed_types=BLEED_TYPES,
        questions=QUESTIONS,
    )


@router.post("/family/{patient_id}/bleed")
def report_bleed(
    request: Request,
    patient_id: int,
    page: Page,
    session: DbSession,
    now: Now,
    site: Annotated[str, Form(max_length=40)] = "",
    bleed_type: Annotated[str, Form(max_length=40)] = "",
    started: Annotated[str, Form(max_length=40)] = "",
    findings: Annotated[list[str] | None, Form()] = None,
    notes: Annotated[str, Form(max_length=2000)] = "",
    tz_offset: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    family_child = load_child(session, page, patient_id, now)
    form = {
        "site": site,
        "bleed_type": bleed_type,
        "started": started,
        "findings": findings or [],
        "notes": notes,
        "tz_offset": tz_offset,
    }
    try:
        values = _bleed_values(form)
        record = child_records.create(
            session, page.actor, BLEEDS, patient_id=family_child.patient.id, values=values
        )
    except InvalidInputError as error:
        return _form_page(request, page, family_child, form, list(error.problems), 422)
    return RedirectResponse(f"/family/{patient_id}/bleed/{record.id}", status_code=303)


def _bleed_values(form: dict[str, Any]) -> dict[str, Any]:
    """The bleeds service's values from the form, or every problem at once (422)."""
    problems: list[FieldProblem] = []
    if form["site"] not in SITE_CODES:
        problems.append(FieldProblem.not_one_of("site", form["site"], SITE_CODES))
    types = [code for code, _ in BLEED_TYPES]
    if form["bleed_type"] not in types:
        problems.append(FieldProblem.not_one_of("bleed_type", form["bleed_type"], types))
    started_at, problem = parse_local_moment(
        "started", form["started"], family_zone(form["tz_offset"])
    )
    if problem:
        problems.append(problem)
    if problems:
        raise InvalidInputError(problems)
    findings = list(dict.fromkeys(form["findings"]))  # a repeated tick is one answer
    site, notes = form["site"], form["notes"].strip()
    if site == GROIN:
        site = BleedSite.OTHER.value
        findings = list(dict.fromkeys([Finding.GROIN_PAIN.value, *findings]))
        notes = "\n".join(part for part in ("Site named by the family: groin.", notes) if part)
    return {
        "site": BleedSite(site),
        "bleed_type": BleedType(form["bleed_type"]),
        "started_at": started_at,
        "findings": findings,
        "notes": notes or None,
    }


@router.get("/family/{patient_id}/bleed/{bleed_id}")
def bleed_advice(
    request: Request, patient_id: int, bleed_id: int, page: Page, session: DbSession, now: Now
) -> Response:
    """What to do now, for the urgency the bleeds service computed for this report."""
    family_child = load_child(session, page, patient_id, now)
    bleed: BleedRecord = child_records.get(session, page.actor, BLEEDS, record_id=bleed_id)
    if bleed.patient_id != family_child.patient.id:  # another linked child's bleed
        raise NotFoundError("bleed", bleed_id)
    urgency = bleed.urgency or Urgency.ROUTINE.value
    centre_name, contact_line = family_view.centre_contact(session, family_child.patient)
    return render(
        request,
        "family/bleed_advice.html",
        page,
        centre_name=centre_name,
        contact_line=contact_line,
        contact_tel=_dialable(contact_line),
        child=family_child,
        bleed=bleed,
        urgency=urgency,
        advice=ADVICE[urgency],
        disclaimer=DISCLAIMER,
        alerted=urgency != Urgency.ROUTINE.value,
    )


def _dialable(contact_line: str | None) -> str | None:
    """The number for a ``tel:`` link: the digits (and a leading +) before any note."""
    if not contact_line:
        return None
    digits = re.sub(r"[^\d+]", "", contact_line.split("(")[0])
    return digits or None
