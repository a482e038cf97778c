"""WFH 2020 intensity classes and factor targets for bleeds, from the provisional definition.

Expected classes are read by hand from REFERENCE.md section 2 ("Prophylaxis
intensity", provisional): FVIII high 25-40 IU/kg every 2 days (3.5 a week),
intermediate 15-25 IU/kg 3 days a week, low 10-15 IU/kg 2-3 days a week; FIX high
40-60, intermediate 20-40, low 10-15 IU/kg, all twice a week. Shared edges go to
the more intensive class (first listed band wins, see hemojoint.domain.prophylaxis.wfh).
"""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.patients import HemophiliaType
from hemojoint.domain.prophylaxis import (
    BleedTargetKind,
    IntensityClass,
    ProphylaxisDefinition,
    bleed_factor_target,
    intensity_class,
)

HIGH, INTERMEDIATE, LOW, OUTSIDE = (
    IntensityClass.HIGH,
    IntensityClass.INTERMEDIATE,
    IntensityClass.LOW,
    IntensityClass.OUTSIDE,
)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return load_definition("wfh_prophylaxis")


@pytest.fixture(scope="module")
def definition(raw: dict[str, Any]) -> ProphylaxisDefinition:
    return ProphylaxisDefinition.from_mapping(raw)


# (dose IU/kg, infusions a week, expected class): just below, at and just above each edge.
FVIII_CASES = [
    # every 2 days = 3.5 a week: high 25-40
    (24.99, 3.5, OUTSIDE),
    (25, 3.5, HIGH),
    (25.01, 3.5, HIGH),
    (39.99, 3.5, HIGH),
    (40, 3.5, HIGH),
    (40.01, 3.5, OUTSIDE),
    (30, 7 / 2, HIGH),  # "every 2 days" as 7 infusions in 2 weeks
    # 3 a week: low 10-15, intermediate 15-25 (15 shared: intermediate wins)
    (9.99, 3, OUTSIDE),
    (10, 3, LOW),
    (10.01, 3, LOW),
    (14.99, 3, LOW),
    (15, 3, INTERMEDIATE),
    (15.01, 3, INTERMEDIATE),
    (24.99, 3, INTERMEDIATE),
    (25, 3, INTERMEDIATE),  # high needs every 2 days
    (25.01, 3, OUTSIDE),
    # 2-3 days a week: low only
    (15, 2, LOW),
    (15.01, 2, OUTSIDE),
    (12, 2.5, LOW),
    # frequency edges of the low band at 12 IU/kg
    (12, 1.99, OUTSIDE),
    (12, 2, LOW),
    (12, 3, LOW),
    (12, 3.01, OUTSIDE),
    # frequency edges of the high band at 30 IU/kg
    (30, 3.49, OUTSIDE),
    (30, 3.51, OUTSIDE),
]

FIX_CASES = [
    (9.99, 2, OUTSIDE),
    (10, 2, LOW),
    (15, 2, LOW),
    (15.01, 2, OUTSIDE),  # the table's gap between low and intermediate
    (19.99, 2, OUTSIDE),
    (20, 2, INTERMEDIATE),
    (20.01, 2, INTERMEDIATE),
    (39.99, 2, INTERMEDIATE),
    (40, 2, HIGH),  # shared edge: high wins
    (40.01, 2, HIGH),
    (60, 2, HIGH),
    (60.01, 2, OUTSIDE),
    (30, 1.99, OUTSIDE),
    (30, 2.01, OUTSIDE),
    (30, 3, OUTSIDE),
]


def _ids(cases: list[tuple[float, float, IntensityClass]]) -> list[str]:
    return [f"{dose:g}iu-{per_week:g}pw-{expected.value}" for dose, per_week, expected in cases]


@pytest.mark.parametrize(("dose", "per_week", "expected"), FVIII_CASES, ids=_ids(FVIII_CASES))
def test_fviii_intensity_edges(
    definition: ProphylaxisDefinition, dose: float, per_week: float, expected: IntensityClass
) -> None:
    assert intensity_class(HemophiliaType.A, dose, per_week, definition).intensity is expected


@pytest.mark.parametrize(("dose", "per_week", "expected"), FIX_CASES, ids=_ids(FIX_CASES))
def test_fix_intensity_edges(
    definition: ProphylaxisDefinition, dose: float, per_week: float, expected: IntensityClass
) -> None:
    assert intensity_class("B", dose, per_week, definition).intensity is expected


def test_programme_regimens_are_intermediate(definition: ProphylaxisDefinition) -> None:
    # REFERENCE.md section 1: A 20-25 IU/kg 3 a week; B 20-25 IU/kg twice a week.
    assert intensity_class("A", 20, 3, definition).intensity is INTERMEDIATE
    assert intensity_class("B", 25, 2, definition).intensity is INTERMEDIATE


def test_result_carries_provisional_status_and_source(definition: ProphylaxisDefinition) -> None:
    result = intensity_class("A", 30, 3.5, definition).as_dict()
    assert result["status"] == "provisional"
    assert "WFH" in result["source"]
    assert result["instrument"] == "wfh_prophylaxis"
    assert result["intensity"] == "high"
    assert result["band"] == {
        "class": "high",
        "dose_iu_per_kg": [25.0, 40.0],
        "infusions_per_week": [3.5, 3.5],
        "frequency": "every 2 days",
    }


def test_outside_has_no_band(definition: ProphylaxisDefinition) -> None:
    result = intensity_class("A", 5, 1, definition).as_dict()
    assert (result["intensity"], result["band"]) == ("outside", None)


def test_intensity_reports_every_bad_input(definition: ProphylaxisDefinition) -> None:
    with pytest.raises(InvalidInputError) as caught:
        intensity_class("C", 0, 7.5, definition)
    assert [problem.message for problem in caught.value.problems] == [
        "hemophilia_type: 'C' is not one of A, B",
        "dose_iu_per_kg: 0 is not above 0",
        "infusions_per_week: 7.5 is outside 0-7",
    ]


# --- a centre's override changes a class without a code change ------------------------------


def test_centre_reordering_changes_the_shared_edge(raw: dict[str, Any], tmp_path: Path) -> None:
    # Listing low before intermediate makes FVIII 15 IU/kg 3 a week low instead.
    centre = copy.deepcopy(raw)
    centre["intensity"]["A"].reverse()
    (tmp_path / "wfh_prophylaxis.json").write_text(json.dumps(centre), encoding="utf-8")
    overridden = ProphylaxisDefinition.from_mapping(load_definition("wfh_prophylaxis", tmp_path))
    assert intensity_class("A", 15, 3, overridden).intensity is LOW


def test_centre_band_change_changes_a_class(raw: dict[str, Any], tmp_path: Path) -> None:
    # A centre widening FVIII intermediate to 15-30 IU/kg: 28 IU/kg 3 a week goes
    # from outside to intermediate, and the result shows the centre's version.
    centre = copy.deepcopy(raw)
    centre["version"] = "centre-2027"
    centre["intensity"]["A"][1]["dose_iu_per_kg"] = [15, 30]
    (tmp_path / "wfh_prophylaxis.json").write_text(json.dumps(centre), encoding="utf-8")
    packaged = ProphylaxisDefinition.from_mapping(load_definition("wfh_prophylaxis"))
    overridden = ProphylaxisDefinition.from_mapping(load_definition("wfh_prophylaxis", tmp_path))
    assert intensity_class("A", 28, 3, packaged).intensity is OUTSIDE
    result = intensity_class("A", 28, 3, overridden)
    assert result.intensity is INTERMEDIATE
    assert result.as_dict()["version"] == "centre-2027"


# --- factor targets for bleeds ----------------------------------------------------------------

# REFERENCE.md section 2, "Factor targets for bleeds" (peak IU/dL, days); B iliopsoas
# days read as A's (see the definition's notes).
TARGET_CASES = [
    ("joint", "A", [((40.0, 60.0), (1.0, 2.0), False)]),
    ("joint", "B", [((40.0, 60.0), (1.0, 2.0), False)]),
    ("superficial_muscle", "A", [((40.0, 60.0), (2.0, 3.0), False)]),
    ("superficial_muscle", "B", [((40.0, 60.0), (2.0, 3.0), False)]),
    (
        "iliopsoas_or_deep_muscle",
        "A",
        [((80.0, 100.0), (1.0, 2.0), False), ((30.0, 60.0), (3.0, 5.0), True)],
    ),
    (
        "iliopsoas_or_deep_muscle",
        "B",
        [((60.0, 80.0), (1.0, 2.0), False), ((30.0, 60.0), (3.0, 5.0), True)],
    ),
]


@pytest.mark.parametrize(
    ("kind", "hemophilia", "phases"),
    TARGET_CASES,
    ids=[f"{kind}-{hemophilia}" for kind, hemophilia, _ in TARGET_CASES],
)
def test_bleed_factor_targets(
    definition: ProphylaxisDefinition,
    kind: str,
    hemophilia: str,
    phases: list[tuple[tuple[float, float], tuple[float, float], bool]],
) -> None:
    target = bleed_factor_target(kind, hemophilia, definition)
    assert [(phase.peak_iu_dl, phase.days, phase.or_longer) for phase in target.phases] == phases
    assert target.as_dict()["status"] == "provisional"


def test_iliopsoas_maintenance_mentions_physiotherapy(definition: ProphylaxisDefinition) -> None:
    target = bleed_factor_target(BleedTargetKind.ILIOPSOAS_OR_DEEP_MUSCLE, "A", definition)
    assert "physiotherapy" in target.as_dict()["phases"][1]["note"]


def test_bleed_target_refuses_unknown_codes(definition: ProphylaxisDefinition) -> None:
    with pytest.raises(
        InvalidInputError, match=r"site_kind: 'brain' is not one of joint, .*; hemophilia_type"
    ):
        bleed_factor_target("brain", "C", definition)


def test_rehab_session_target_is_an_unset_setting(definition: ProphylaxisDefinition) -> None:
    # REFERENCE.md section 2: no numeric factor target per rehab session was found.
    assert definition.rehab_session_factor_target_iu_dl is None
    assert "No published" in definition.rehab_session_factor_target_note


def test_centre_can_set_the_rehab_session_target(raw: dict[str, Any]) -> None:
    centre = copy.deepcopy(raw)
    centre["settings"]["rehab_session_factor_target_iu_dl"]["value"] = 30
    assert ProphylaxisDefinition.from_mapping(centre).rehab_session_factor_target_iu_dl == 30.0


# --- malformed definitions are refused with the path named ---------------------------------------


def _set(data: dict[str, Any], path: list[Any], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


BAD_DEFINITIONS = [
    (
        ["intensity", "A", 0, "dose_iu_per_kg"],
        [40, 25],
        r"intensity\.A\[0\]\.dose_iu_per_kg: \[40, 25\]",
    ),
    (["intensity", "A", 0, "dose_iu_per_kg"], [25], r"intensity\.A\[0\]\.dose_iu_per_kg"),
    (["intensity", "A", 0, "class"], "outside", r"intensity\.A\[0\]\.class: 'outside'"),
    (["intensity", "A", 0, "class"], "top", r"intensity\.A\[0\]\.class: 'top' is not one of"),
    (["intensity", "A", 1, "class"], "high", r"intensity\.A: a class is listed twice"),
    (
        ["intensity", "A", 0, "infusions_per_week"],
        [3, 8],
        r"infusions_per_week: \[3\.0, 8\.0\] is outside 0-7",
    ),
    (["intensity", "B"], [], r"intensity\.B: \[\] is not a non-empty list"),
    (["intensity", "C"], [], r"intensity: missing nothing, unknown \['C'\]"),
    (
        ["bleed_targets", "joint", "A", 0, "days"],
        "1-2",
        r"bleed_targets\.joint\.A\[0\]\.days: '1-2'",
    ),
    (
        ["bleed_targets", "joint", "A", 0, "or_longer"],
        "yes",
        r"bleed_targets\.joint\.A\[0\]: or_longer",
    ),
    (
        ["settings", "rehab_session_factor_target_iu_dl", "value"],
        -1,
        r"value: -1 is not null or above 0",
    ),
    (["status"], "final", r"status: 'final' is not one of verified, provisional"),
    (["extra"], 1, r"definition: missing nothing, unknown \['extra'\]"),
]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    BAD_DEFINITIONS,
    ids=[
        "dose-reversed",
        "dose-single",
        "class-outside",
        "class-unknown",
        "class-twice",
        "per-week-8",
        "no-bands",
        "unknown-type",
        "days-text",
        "or-longer-text",
        "rehab-negative",
        "bad-status",
        "unknown-key",
    ],
)
def test_malformed_definition_is_refused(
    raw: dict[str, Any], path: list[Any], value: Any, message: str
) -> None:
    broken = copy.deepcopy(raw)
    _set(broken, path, value)
    with pytest.raises(DefinitionError, match=message):
        ProphylaxisDefinition.from_mapping(broken)


def test_missing_section_is_refused(raw: dict[str, Any]) -> None:
    broken = copy.deepcopy(raw)
    del broken["bleed_targets"]["superficial_muscle"]
    with pytest.raises(DefinitionError, match=r"bleed_targets: missing \['superficial_muscle'\]"):
        ProphylaxisDefinition.from_mapping(broken)
