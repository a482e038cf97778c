"""Bleed triage against the red flags of REFERENCE.md section 4.

Every expected urgency, reason and suspected bleed below comes from the rules of
REFERENCE.md section 4 (Panuwannakorn et al., Int J Hematol 2023, and the list of
other emergencies by site) as restated in issue 2 item 5, not from running the code:

- femoral nerve signs (thigh numbness, knee extension weakness, knee giving way,
  reduced knee reflex) with groin/lower abdominal/hip/thigh/back pain or an
  iliopsoas site -> emergency, iliopsoas bleed, even if hip rotation hurts;
- head, neck, throat, abdomen/GI, compartment signs, large blood loss -> emergency;
- groin or lower abdominal pain, hip held flexed, pain on extension or a limp,
  rotation comparatively painless, or an iliopsoas site -> urgent iliopsoas bleed;
- hip pain that also hurts on rotation, no nerve signs -> urgent hip joint bleed;
- a joint site or joint swelling/pain/warmth/reduced motion -> urgent joint bleed;
- nothing of the above -> routine.
Two documented safety choices of the module (err towards the higher urgency): a
femoral nerve sign alone, and a severe headache alone, are emergencies.
"""

from __future__ import annotations

import pytest

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.triage import (
    ADVICE_TEXT,
    REASONS,
    BleedReport,
    Finding,
    Reason,
    Suspected,
    Urgency,
    triage_mapping,
)

E, U, R = "emergency", "urgent", "routine"
NERVE = "iliopsoas_with_femoral_nerve_signs"
ILIO = "iliopsoas_bleed_suspected"
HIPJ = "hip_joint_bleed_suspected"
HEAD = "head_bleed_signs"
NECK = "neck_or_throat_bleed_signs"
ABDO = "abdominal_or_gi_bleed_signs"
COMP = "compartment_signs"
LOSS = "large_blood_loss_signs"
JOINT = "joint_bleed_signs"
PAIN = "hip_thigh_or_back_pain"
NONE = "no_red_flags"

# (site, findings, urgency, reasons, suspected) — from REFERENCE.md section 4 (see module doc).
CASES = [
    # Emergency: iliopsoas bleed with femoral nerve signs.
    ("unknown", ["groin_pain", "thigh_numbness"], E, [NERVE], ["iliopsoas_bleed"]),
    ("unknown", ["groin_pain", "hip_held_flexed", "pain_on_hip_extension", "thigh_numbness"],
     E, [NERVE], ["iliopsoas_bleed"]),
    ("unknown", ["lower_abdominal_pain", "knee_extension_weakness"], E, [NERVE],
     ["iliopsoas_bleed"]),
    ("unknown", ["hip_pain", "reduced_knee_reflex"], E, [NERVE], ["iliopsoas_bleed"]),
    ("unknown", ["back_pain", "knee_giving_way"], E, [NERVE], ["iliopsoas_bleed"]),
    ("unknown", ["thigh_pain", "thigh_numbness"], E, [NERVE], ["iliopsoas_bleed"]),
    ("left_iliopsoas", ["knee_extension_weakness"], E, [NERVE], ["iliopsoas_bleed"]),
    ("unknown", ["hip_pain", "pain_on_hip_rotation", "thigh_numbness"], E, [NERVE],
     ["iliopsoas_bleed"]),
    ("unknown", ["reduced_knee_reflex"], E, [NERVE], ["iliopsoas_bleed"]),
    # Emergency: head, neck/throat, abdomen/GI, compartment, blood loss.
    ("head", [], E, [HEAD], ["head_or_neck_bleed"]),
    ("unknown", ["head_injury"], E, [HEAD], ["head_or_neck_bleed"]),
    ("unknown", ["severe_headache"], E, [HEAD], ["head_or_neck_bleed"]),
    ("unknown", ["severe_headache", "vomiting"], E, [HEAD], ["head_or_neck_bleed"]),
    ("neck", [], E, [NECK], ["head_or_neck_bleed"]),
    ("throat", [], E, [NECK], ["head_or_neck_bleed"]),
    ("unknown", ["neck_swelling"], E, [NECK], ["head_or_neck_bleed"]),
    ("unknown", ["throat_swelling_or_difficulty_swallowing"], E, [NECK], ["head_or_neck_bleed"]),
    ("abdomen", [], E, [ABDO], ["abdominal_bleed"]),
    ("unknown", ["abdominal_pain"], E, [ABDO], ["abdominal_bleed"]),
    ("unknown", ["blood_in_stool_or_vomit"], E, [ABDO], ["abdominal_bleed"]),
    ("left_calf", ["tense_swollen_limb"], E, [COMP], ["compartment_syndrome", "muscle_bleed"]),
    ("unknown", ["pallor_or_dizziness"], E, [LOSS], ["unclear"]),
    ("unknown", ["fast_heart_rate"], E, [LOSS], ["unclear"]),
    # Urgent: iliopsoas bleed without nerve signs, rotation comparatively painless.
    ("unknown", ["groin_pain", "hip_held_flexed"], U, [ILIO], ["iliopsoas_bleed"]),
    ("unknown", ["lower_abdominal_pain"], U, [ILIO], ["iliopsoas_bleed"]),
    ("unknown", ["pain_on_hip_extension"], U, [ILIO], ["iliopsoas_bleed"]),
    ("unknown", ["limp_or_cannot_stand_straight"], U, [ILIO], ["iliopsoas_bleed"]),
    ("right_iliopsoas", [], U, [ILIO], ["iliopsoas_bleed"]),
    ("right_iliopsoas", ["pain_on_hip_rotation"], U, [ILIO], ["iliopsoas_bleed"]),
    # Urgent: hip joint bleed hurts in every direction including rotation, no nerve signs.
    ("unknown", ["hip_pain", "pain_on_hip_rotation"], U, [HIPJ], ["hip_joint_bleed"]),
    ("unknown", ["groin_pain", "hip_held_flexed", "pain_on_hip_rotation"], U, [HIPJ],
     ["hip_joint_bleed"]),
    ("left_hip", [], U, [HIPJ], ["hip_joint_bleed"]),
    ("unknown", ["hip_pain", "pain_on_hip_rotation", "joint_swelling"], U, [HIPJ],
     ["hip_joint_bleed"]),
    # Urgent: pain that may be either, rotation not reported.
    ("unknown", ["hip_pain"], U, [PAIN], ["unclear"]),
    ("unknown", ["back_pain"], U, [PAIN], ["unclear"]),
    ("unknown", ["thigh_pain"], U, [PAIN], ["unclear"]),
    # Urgent: joint bleed.
    ("left_ankle", ["joint_swelling"], U, [JOINT], ["joint_bleed"]),
    ("right_knee", [], U, [JOINT], ["joint_bleed"]),
    ("unknown", ["joint_warmth"], U, [JOINT], ["joint_bleed"]),
    ("unknown", ["joint_pain", "reduced_motion"], U, [JOINT], ["joint_bleed"]),
    # Routine: no red flags.
    ("skin", [], R, [NONE], ["skin_or_mucosal_bleed"]),
    ("left_forearm", [], R, [NONE], ["muscle_bleed"]),
    ("left_thigh", ["thigh_pain"], R, [NONE], ["muscle_bleed"]),
    ("unknown", ["vomiting"], R, [NONE], ["unclear"]),
    ("other", [], R, [NONE], ["unclear"]),
]  # fmt: skip
IDS = [
    "groin+numbness", "groin+flexed+extension+numbness", "lower-abdo+quad-weakness",
    "hip+reflex", "back+giving-way", "thigh-pain+numbness", "iliopsoas-site+weakness",
    "nerve-signs-override-rotation-pain", "nerve-sign-alone",
    "site-head", "head-injury", "severe-headache", "headache+vomiting", "site-neck",
    "site-throat", "neck-swelling", "throat-swelling", "site-abdomen", "abdominal-pain",
    "gi-blood", "tense-limb", "pallor", "fast-heart-rate",
    "groin+flexed-no-nerve", "lower-abdo-pain", "pain-on-extension", "limp",
    "iliopsoas-site", "iliopsoas-site-wins-over-rotation",
    "hip+rotation", "groin+flexed+rotation", "hip-site", "hip-joint-swelling-not-twice",
    "hip-pain-alone", "back-pain-alone", "thigh-pain-no-site",
    "ankle-swelling", "knee-site", "joint-warmth", "joint-pain+motion",
    "skin", "forearm-muscle", "thigh-muscle-thigh-pain", "vomiting-alone", "other-site",
]  # fmt: skip


@pytest.mark.parametrize(("site", "findings", "urgency", "reasons", "suspected"), CASES, ids=IDS)
def test_triage_rules(
    site: str, findings: list[str], urgency: str, reasons: list[str], suspected: list[str]
) -> None:
    result = triage_mapping({"site": site, "findings": findings}).as_dict()
    assert result["urgency"] == urgency
    assert [reason["code"] for reason in result["reasons"]] == reasons
    assert result["suspected"] == suspected


def test_several_emergencies_list_every_reason_most_urgent_first() -> None:
    # REFERENCE.md section 4: each of these is an emergency on its own; all are reported.
    findings = ["joint_swelling", "groin_pain", "thigh_numbness", "head_injury",
                "abdominal_pain", "tense_swollen_limb", "pallor_or_dizziness", "neck_swelling"]  # fmt: skip
    result = triage_mapping({"site": "left_ankle", "findings": findings}).as_dict()
    assert result["urgency"] == "emergency"
    codes = [reason["code"] for reason in result["reasons"]]
    assert sorted(codes) == sorted([NERVE, HEAD, NECK, ABDO, COMP, LOSS, JOINT])
    assert codes[-1] == JOINT  # the one urgent reason comes after the six emergencies
    assert [reason["urgency"] for reason in result["reasons"]] == [E] * 6 + [U]
    assert set(result["suspected"]) == {
        "iliopsoas_bleed", "head_or_neck_bleed", "abdominal_bleed",
        "compartment_syndrome", "joint_bleed",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("findings", "advice_words"),
    [
        (["head_injury"], "go to hospital now"),
        (["joint_swelling"], "contact the hemophilia treatment centre today"),
        ([], "contact the care team"),
    ],
    ids=["emergency", "urgent", "routine"],
)
def test_advice_follows_urgency_and_disclaimer_is_always_there(
    findings: list[str], advice_words: str
) -> None:
    result = triage_mapping({"site": "unknown", "findings": findings}).as_dict()
    assert advice_words in result["advice"].lower()
    assert "does not replace, clinical judgement" in result["disclaimer"]
    assert "care team" in result["disclaimer"]


def test_every_code_has_its_text_and_every_urgency_its_advice() -> None:
    assert set(REASONS) == set(Reason)
    assert set(ADVICE_TEXT) == set(Urgency)
    assert all(text.strip() for _, text in REASONS.values())


def test_issue_finding_codes_are_all_accepted() -> None:
    # The CLI contract of issue 2 lists these codes as the minimum.
    required = {
        "groin_pain", "lower_abdominal_pain", "hip_pain", "back_pain", "thigh_pain",
        "hip_held_flexed", "pain_on_hip_extension", "pain_on_hip_rotation", "thigh_numbness",
        "knee_extension_weakness", "reduced_knee_reflex", "pallor_or_dizziness", "head_injury",
        "severe_headache", "vomiting", "neck_swelling", "abdominal_pain", "tense_swollen_limb",
        "joint_swelling", "joint_pain", "joint_warmth", "reduced_motion",
    }  # fmt: skip
    assert required <= {finding.value for finding in Finding}
    report = BleedReport.from_mapping({"site": "unknown", "findings": sorted(required)})
    assert len(report.findings) == len(required)


def test_result_names_the_suspects_as_codes() -> None:
    result = triage_mapping({"site": "unknown", "findings": ["groin_pain", "thigh_numbness"]})
    assert result.suspected == (Suspected.ILIOPSOAS_BLEED,)
    assert result.reasons[0].urgency is Urgency.EMERGENCY


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"site": "unknown", "findings": ["groin_pain", "vomiting", "headache"]},
         r"^findings\[2\]: 'headache' is not one of groin_pain, lower_abdominal_pain, .*"
         r"joint_warmth, reduced_motion$"),
        ({"site": "unknown", "findings": ["groin_pain", "groin_pain"]},
         r"^findings\[1\]: 'groin_pain' repeats findings\[0\]$"),
        ({"site": "left_toe", "findings": []},
         r"^site: 'left_toe' is not one of left_shoulder, right_shoulder, .*, other, unknown$"),
        ({"site": "left_toe", "findings": [3]},
         r"^site: 'left_toe' is not one of .*; findings\[0\]: 3 is not one of groin_pain, "),
        ({"findings": []}, r"^site: is missing; expected one of left_shoulder, .*unknown$"),
        ({"site": "unknown"}, r"^findings: is missing; expected a list of codes$"),
        ({"site": "unknown", "findings": "groin_pain"}, r"^findings: 'groin_pain' is not a list$"),
        ({"site": "unknown", "findings": [], "notes": "x"},
         r"^notes: 'notes' is not one of site, findings$"),
        (["groin_pain"], r"^report: \['groin_pain'\] is not an object$"),
        ({"site": None, "findings": []}, r"^site: null is not one of left_shoulder, "),
    ],
    ids=["unknown-finding", "duplicate-finding", "unknown-site", "site-and-finding-at-once",
         "missing-site", "missing-findings", "findings-not-list", "unknown-key", "not-object",
         "null-site"],
)  # fmt: skip
def test_invalid_reports_name_field_value_and_allowed(data: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        triage_mapping(data)
