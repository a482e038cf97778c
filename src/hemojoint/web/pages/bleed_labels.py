"""Display labels for bleed sites and triage findings (codes from the domain, words here).

Marked with ``N_`` so that the Chinese catalogue (``forms.po``) translates them.
"""

from __future__ import annotations

from collections.abc import Mapping

from hemojoint.web.i18n import N_

SITE_LABELS: Mapping[str, str] = {
    "left_shoulder": N_("Left shoulder"),
    "right_shoulder": N_("Right shoulder"),
    "left_elbow": N_("Left elbow"),
    "right_elbow": N_("Right elbow"),
    "left_wrist": N_("Left wrist"),
    "right_wrist": N_("Right wrist"),
    "left_hip": N_("Left hip"),
    "right_hip": N_("Right hip"),
    "left_knee": N_("Left knee"),
    "right_knee": N_("Right knee"),
    "left_ankle": N_("Left ankle"),
    "right_ankle": N_("Right ankle"),
    "left_iliopsoas": N_("Left iliopsoas"),
    "right_iliopsoas": N_("Right iliopsoas"),
    "left_forearm": N_("Left forearm"),
    "right_forearm": N_("Right forearm"),
    "left_upper_arm": N_("Left upper arm"),
    "right_upper_arm": N_("Right upper arm"),
    "left_thigh": N_("Left thigh"),
    "right_thigh": N_("Right thigh"),
    "left_calf": N_("Left calf"),
    "right_calf": N_("Right calf"),
    "left_gluteal": N_("Left buttock"),
    "right_gluteal": N_("Right buttock"),
    "head": N_("Head"),
    "neck": N_("Neck"),
    "throat": N_("Throat"),
    "abdomen": N_("Abdomen"),
    "mouth": N_("Mouth"),
    "nose": N_("Nose"),
    "skin": N_("Skin"),
    "other": N_("Other site"),
}

FINDING_LABELS: Mapping[str, str] = {
    "groin_pain": N_("Groin pain"),
    "lower_abdominal_pain": N_("Lower abdominal pain"),
    "hip_pain": N_("Hip pain"),
    "back_pain": N_("Back pain"),
    "thigh_pain": N_("Thigh pain"),
    "hip_held_flexed": N_("Hip held bent"),
    "pain_on_hip_extension": N_("Pain when the hip is straightened"),
    "pain_on_hip_rotation": N_("Pain when the hip is rotated"),
    "limp_or_cannot_stand_straight": N_("Limp or cannot stand straight"),
    "thigh_numbness": N_("Numbness or tingling of the thigh"),
    "knee_extension_weakness": N_("Weakness straightening the knee"),
    "knee_giving_way": N_("Knee giving way"),
    "reduced_knee_reflex": N_("Reduced knee reflex"),
    "pallor_or_dizziness": N_("Pallor or dizziness"),
    "fast_heart_rate": N_("Fast heart rate"),
    "head_injury": N_("Head injury"),
    "severe_headache": N_("Severe headache"),
    "vomiting": N_("Vomiting"),
    "neck_swelling": N_("Neck swelling"),
    "throat_swelling_or_difficulty_swallowing": N_("Throat swelling or difficulty swallowing"),
    "abdominal_pain": N_("Abdominal pain"),
    "blood_in_stool_or_vomit": N_("Blood in stool or vomit"),
    "tense_swollen_limb": N_("Tense, swollen limb"),
    "joint_swelling": N_("Joint swelling"),
    "joint_pain": N_("Joint pain"),
    "joint_warmth": N_("Joint warmth"),
    "reduced_motion": N_("Reduced movement"),
}
