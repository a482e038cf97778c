"""Display labels for the codes the pages show (joints, items, instruments, timepoints).

One table per kind of code, marked with ``N_`` so the catalogues translate them; the
codes themselves come from the domain. Licensed instruments get short names of their
item identifiers here, never the item wording.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hemojoint.schemas.assessments import Timepoint
from hemojoint.web.i18n import N_

JOINT_LABELS: Mapping[str, str] = {
    "left_elbow": N_("Left elbow"),
    "right_elbow": N_("Right elbow"),
    "left_hip": N_("Left hip"),
    "right_hip": N_("Right hip"),
    "left_knee": N_("Left knee"),
    "right_knee": N_("Right knee"),
    "left_ankle": N_("Left ankle"),
    "right_ankle": N_("Right ankle"),
}

# Short names of item identifiers (never the licensed item wording).
ITEM_LABELS: Mapping[str, str] = {
    "swelling": N_("Swelling"),
    "swelling_duration": N_("Duration of swelling"),
    "muscle_atrophy": N_("Muscle atrophy"),
    "crepitus": N_("Crepitus"),
    "flexion_loss": N_("Flexion loss"),
    "extension_loss": N_("Extension loss"),
    "joint_pain": N_("Joint pain"),
    "strength": N_("Strength"),
    "gait": N_("Global gait"),
    "synovitis": N_("Synovitis"),
    "cartilage": N_("Cartilage"),
    "bone": N_("Subchondral bone"),
    "effusion": N_("Effusion / hemarthrosis"),
    "synovial_hyperplasia": N_("Synovial hyperplasia"),
    "synovial_vascularity": N_("Synovial vascularity (colour Doppler)"),
    "hemosiderin": N_("Hemosiderin"),
    "osteoporosis": N_("Osteoporosis"),
    "enlarged_epiphysis": N_("Enlarged epiphysis"),
    "irregular_subchondral_surface": N_("Irregular subchondral surface"),
    "joint_space_narrowing": N_("Joint space narrowing"),
    "subchondral_cysts": N_("Subchondral cysts"),
    "marginal_erosions": N_("Marginal erosions"),
    "incongruence": N_("Incongruence"),
    "deformity": N_("Deformity"),
    "eating_grooming": N_("Eating and grooming"),
    "bathing": N_("Bathing"),
    "dressing": N_("Dressing"),
    "chair": N_("Sitting down and getting up from a chair"),
    "squatting": N_("Squatting"),
    "walking": N_("Walking"),
    "stairs": N_("Climbing stairs"),
    "running": N_("Running"),
}

INSTRUMENT_LABELS: Mapping[str, str] = {
    "hjhs": N_("HJHS 2.1 (joint health)"),
    "head_us": N_("HEAD-US (ultrasound)"),
    "head_us_c": N_("HEAD-US-C (ultrasound, Chinese adaptation)"),
    "choklat": N_("CHO-KLAT 2.0 (quality of life)"),
    "pettersson": N_("Pettersson score (X-ray)"),
    "fish": N_("FISH (functional independence)"),
}

TIMEPOINT_LABELS: Mapping[str, str] = {
    Timepoint.BASELINE.value: N_("Baseline"),
    Timepoint.WEEK_6.value: N_("Week 6"),
    Timepoint.WEEK_12.value: N_("Week 12"),
    Timepoint.FOLLOW_UP.value: N_("Follow-up"),
    Timepoint.OTHER.value: N_("Other"),
}

URGENCY_LABELS: Mapping[str, str] = {
    "emergency": N_("Emergency"),
    "urgent": N_("Urgent"),
    "routine": N_("Routine"),
}

MEASURE_PREFIXES: Mapping[str, str] = {"hjhs": N_("HJHS"), "ultrasound": N_("Ultrasound")}
PAIN_SCORE_LABEL = N_("Pain score (0-10)")


def measure_label(gettext: Callable[[str], str], measure: str) -> str:
    """A goal's measure in words.

    >>> measure_label(str, "hjhs.right_elbow.joint_pain")
    'HJHS · Right elbow · Joint pain'
    >>> measure_label(str, "hjhs.gait"), measure_label(str, "pain_score")
    ('HJHS · Global gait', 'Pain score (0-10)')
    """
    if measure == "pain_score":
        return gettext(PAIN_SCORE_LABEL)
    parts = measure.split(".")
    tables: tuple[Mapping[str, str], ...] = (MEASURE_PREFIXES, JOINT_LABELS, ITEM_LABELS)
    if len(parts) == 2:  # hjhs.gait: no joint
        tables = (MEASURE_PREFIXES, ITEM_LABELS)
    words = [gettext(table.get(part, part)) for table, part in zip(tables, parts, strict=False)]
    return " · ".join(words)
