"""The FHIR R4B export: a seeded centre exports to a Bundle that parses back and carries
the codes of REFERENCE.md section 5, per-joint HJHS components and no item wording.

Runs on SQLite and PostgreSQL (the ``db`` fixture).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.interop.fhir import bundle as fhir_bundle
from hemojoint.interop.fhir import codes
from hemojoint.persistence.models import AuditEntryRecord, UserRecord
from hemojoint.services import fhir_export
from hemojoint.services.errors import PermissionDeniedError
from hemojoint.services.operations import OperationRefusedError
from tests.support.builders import create_user
from tests.support.fhir_builders import (
    HJHS_JOINT_TOTALS,
    HJHS_TOTAL,
    SeededCentre,
    seed_centre,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SNOMED, ICD10, LOINC = (
    "http://snomed.info/sct",
    "http://hl7.org/fhir/sid/icd-10",
    "http://loinc.org",
)


@pytest.fixture
def seeded(db: Session) -> SeededCentre:
    return seed_centre(db)


@pytest.fixture
def bundle(db: Session, seeded: SeededCentre) -> dict[str, Any]:
    export = fhir_export.export_centre(db, centre_code="FHIR1", username="fhirdoc", now=NOW)
    return export.bundle


def resources(bundle: dict[str, Any], kind: str, patient_id: int | None = None) -> list[Any]:
    found = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
    if patient_id is None:
        return found
    ref = f"Patient/patient-{patient_id}"
    return [
        r
        for r in found
        if ref in (r.get("subject", {}).get("reference"), r.get("patient", {}).get("reference"))
    ]


def codings(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def test_bundle_parses_back_with_fhir_resources_as_a_collection(bundle: dict[str, Any]) -> None:
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    kinds = {entry.resource.__class__.__name__ for entry in parsed.entry}
    assert "Patient" in kinds
    assert "QuestionnaireResponse" in kinds
    # Every entry round-trips through the model to the same JSON.
    assert json.loads(parsed.model_dump_json())["entry"][0]["resource"]["resourceType"] == "Patient"


def test_resource_counts_cover_every_record_type_and_only_the_centre(
    bundle: dict[str, Any], seeded: SeededCentre
) -> None:
    # Patient A: 1 caregiver; factor activity + 1 inhibitor + 4 scores = 6 observations;
    # 4 questionnaire responses; 2 infusions; 1 enrolment with 2 goals (plan version 2);
    # 2 alerts (emergency head, urgent knee; the routine forearm bleed is not one).
    # Patient B: factor activity + 1 inhibitor. The other centre's patient: nothing.
    assert fhir_bundle.resource_counts(bundle) == {
        "CarePlan": 1,
        "Condition": 2,
        "Flag": 2,
        "Goal": 2,
        "MedicationAdministration": 2,
        "Observation": 8,
        "Patient": 2,
        "QuestionnaireResponse": 4,
        "RelatedPerson": 1,
    }
    exported = {r["id"] for r in resources(bundle, "Patient")}
    assert f"patient-{seeded.outsider.id}" not in exported


def test_conditions_carry_snomed_and_icd10_from_reference_section_5(
    bundle: dict[str, Any], seeded: SeededCentre
) -> None:
    [condition_a] = resources(bundle, "Condition", seeded.patient_a.id)
    [condition_b] = resources(bundle, "Condition", seeded.patient_b.id)
    # REFERENCE.md 5: hemophilia A = SNOMED 28293008, ICD-10 D66; B = 1563006, D67.
    assert codings(condition_a["code"]) == {(SNOMED, "28293008"), (ICD10, "D66")}
    assert codings(condition_b["code"]) == {(SNOMED, "1563006"), (ICD10, "D67")}
    # Severity by factor activity: 0.5 IU/dL is severe (< 1), 3 IU/dL moderate (1-5).
    assert condition_a["severity"]["coding"][0]["code"] == "severe"
    assert condition_b["severity"]["coding"][0]["code"] == "moderate"


def test_laboratory_observations_use_loinc(bundle: dict[str, Any], seeded: SeededCentre) -> None:
    lab_a = resources(bundle, "Observation", seeded.patient_a.id)
    lab_b = resources(bundle, "Observation", seeded.patient_b.id)
    codes_a = {code for r in lab_a for code in codings(r["code"])}
    codes_b = {code for r in lab_b for code in codings(r["code"])}
    # REFERENCE.md 5: FVIII activity 3209-4, FIX activity 3187-2, FVIII inhibitor 3204-5.
    assert {(LOINC, "3209-4"), (LOINC, "3204-5")} <= codes_a
    assert (LOINC, "3187-2") in codes_b
    assert (LOINC, "3209-4") not in codes_b
    [activity] = [r for r in lab_a if codings(r["code"]) == {(LOINC, "3209-4")}]
    assert activity["valueQuantity"] == {
        "value": 0.5,
        "unit": "IU/dL",
        "system": codes.UCUM,
        "code": "[IU]/dL",
    }
    [inhibitor] = [r for r in lab_a if codings(r["code"]) == {(LOINC, "3204-5")}]
    assert inhibitor["valueQuantity"]["value"] == 1.2
    assert inhibitor["interpretation"][0]["coding"][0]["code"] == "POS"


def test_hjhs_observation_has_each_joint_and_the_total(
    bundle: dict[str, Any], seeded: SeededCentre
) -> None:
    [hjhs] = [
        r
        for r in resources(bundle, "Observation")
        if codings(r["code"]) == {(codes.ASSESSMENT, "hjhs-total")}
    ]
    assert hjhs["valueQuantity"]["value"] == HJHS_TOTAL
    joints = {
        c["code"]["coding"][0]["code"].removeprefix("hjhs-joint-"): c["valueQuantity"]["value"]
        for c in hjhs["component"]
        if c["code"]["coding"][0]["code"].startswith("hjhs-joint-")
    }
    assert joints == HJHS_JOINT_TOTALS
    assert "meta" not in hjhs  # HJHS 2.1 is verified
    assert hjhs["derivedFrom"][0]["reference"].startswith("QuestionnaireResponse/")


def test_provisional_instruments_are_tagged(bundle: dict[str, Any]) -> None:
    tagged = {
        r["code"]["coding"][0]["code"]
        for r in resources(bundle, "Observation")
        if r.get("meta", {}).get("tag")
        == [{"system": codes.INSTRUMENT_STATUS, "code": "provisional"}]
    }
    # HEAD-US-C and CHO-KLAT are provisional in their definitions; HEAD-US is verified.
    assert tagged == {"head-us-c-total", "choklat-score"}


def test_questionnaire_responses_hold_item_identifiers_and_answers_only(
    bundle: dict[str, Any],
) -> None:
    responses = {
        r["questionnaire"].split("/")[-1]: r for r in resources(bundle, "QuestionnaireResponse")
    }
    assert set(responses) == {
        "hjhs|2.1",
        "head_us|2013",
        "head_us_c|2018-provisional-1",
        "choklat|2.0",
    }
    choklat = {item["linkId"]: item for item in responses["choklat|2.0"]["item"]}
    # examples/score/choklat.json: item 1 answered 4, item 35 left blank.
    assert choklat["responses.1"] == {"linkId": "responses.1", "answer": [{"valueInteger": 4}]}
    assert choklat["responses.35"] == {"linkId": "responses.35"}
    for response in responses.values():
        for item in response["item"]:
            assert set(item) <= {"linkId", "answer"}  # no "text": never an item's wording
    assert '"text": "' not in json.dumps(responses)


def test_nothing_identifying_is_exported(bundle: dict[str, Any], seeded: SeededCentre) -> None:
    text = json.dumps(bundle)
    for secret in ("Wenjun", "Secretname", "MRN-777"):
        assert secret not in text
    [patient] = [
        r for r in resources(bundle, "Patient") if r["id"] == f"patient-{seeded.patient_a.id}"
    ]
    assert patient["identifier"] == [
        {"system": codes.PATIENT_IDENTIFIER, "value": f"P{seeded.patient_a.id:06d}"}
    ]
    assert patient["gender"] == "male"
    assert patient["birthDate"] == "2016-05-17"


def test_programme_infusions_alerts_and_caregiver(bundle: dict[str, Any]) -> None:
    [plan] = resources(bundle, "CarePlan")
    goals = resources(bundle, "Goal")
    assert plan["status"] == "active"
    assert plan["period"] == {"start": "2026-01-05"}
    assert plan["goal"] == [{"reference": f"Goal/{g['id']}"} for g in goals]
    # Due dates: start 2026-01-05 + 4 weeks and + 12 weeks.
    assert [g["target"][0]["dueDate"] for g in goals] == ["2026-02-02", "2026-03-30"]
    infusions = resources(bundle, "MedicationAdministration")
    assert [i["dosage"]["dose"]["value"] for i in infusions] == [1000, 1000]
    assert [i["reasonCode"][0]["coding"][0]["code"] for i in infusions] == ["prophylaxis", "bleed"]
    flags = resources(bundle, "Flag")
    assert sorted(f["code"]["coding"][0]["code"] for f in flags) == ["emergency", "urgent"]
    [caregiver] = resources(bundle, "RelatedPerson")
    assert codings(caregiver["relationship"][0]) == {(codes.ROLE_CODE, "PRN")}


def test_our_code_check_accepts_the_bundle_and_names_a_stray_code(bundle: dict[str, Any]) -> None:
    assert fhir_bundle.code_problems(bundle) == []
    assert fhir_bundle.reference_problems(bundle) == []
    bundle["entry"][0]["resource"]["meta"] = {
        "tag": [{"system": codes.ASSESSMENT, "code": "hjhs-joint-left_hip"}]
    }
    bundle["entry"][1]["resource"]["patient"] = {"reference": "Patient/nobody"}
    with pytest.raises(fhir_bundle.FhirExportError, match="hjhs-joint-left_hip.*Patient/nobody"):
        fhir_bundle.validate(bundle)


def test_an_unknown_system_is_refused(bundle: dict[str, Any]) -> None:
    bundle["entry"][0]["resource"]["meta"] = {
        "tag": [{"system": "http://example.org", "code": "x"}]
    }
    assert fhir_bundle.code_problems(bundle) == [
        "Bundle.entry[0].resource.meta.tag[0]: unknown code system 'http://example.org'"
    ]


def test_each_exported_patient_leaves_an_audit_entry(
    db: Session, bundle: dict[str, Any], seeded: SeededCentre
) -> None:
    entries = db.scalars(select(AuditEntryRecord).where(AuditEntryRecord.action == "export")).all()
    assert sorted(e.patient_id for e in entries) == sorted(
        [seeded.patient_a.id, seeded.patient_b.id]
    )
    assert {e.address for e in entries} == {"cli-export"}


def test_family_users_and_strangers_may_not_export(db: Session, seeded: SeededCentre) -> None:
    caregiver = create_user(db, role=Role.CAREGIVER, centre=seeded.centre, username="mum")
    with pytest.raises(PermissionDeniedError, match="caregiver may not export"):
        fhir_export.export_centre(db, centre_code="FHIR1", username=caregiver.username, now=NOW)
    with pytest.raises(OperationRefusedError, match="'nobody' does not exist"):
        fhir_export.export_centre(db, centre_code="FHIR1", username="nobody", now=NOW)
    outsider: UserRecord = db.get(UserRecord, seeded.staff.id)  # type: ignore[assignment]
    outsider.centre_id = seeded.outsider.centre_id
    db.flush()
    with pytest.raises(OperationRefusedError, match="does not belong to centre FHIR1"):
        fhir_export.export_centre(db, centre_code="FHIR1", username="fhirdoc", now=NOW)
