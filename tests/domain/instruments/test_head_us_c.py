"""HEAD-US-C (Li et al. 2018), a provisional definition loaded from JSON.

Expected values come from REFERENCE.md section 3 "HEAD-US-C" and "HEAD-US",
restated below: the worked examples (synovial hyperplasia 2 points; colour Doppler
star-like 1, linear or branching 2; cartilage three quarters thinned = 3; markedly
irregular cortex = 2), HEAD-US's cartilage 0-4 and bone 0-2 scales, and "plus an
effusion item". Effusion and hemosiderin have no points in REFERENCE.md: their 0-1
range is this project's placeholder, recorded as such in the definition's "basis".
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.instruments import head_us
from hemojoint.domain.instruments.base import Status
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition, scorer_from_definition
from hemojoint.domain.instruments.pocus import PocusFindings

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "score"

# item -> (lowest, highest, where the range comes from)
REFERENCE_RANGES = {
    "effusion": (0, 1, "placeholder: REFERENCE.md gives no points"),
    "synovial_hyperplasia": (0, 2, "worked example 2 points; HEAD-US synovitis 0-2"),
    "synovial_vascularity": (0, 2, "star-like 1, linear or branching 2"),
    "hemosiderin": (0, 1, "placeholder: REFERENCE.md gives no points"),
    "cartilage": (0, 4, "HEAD-US cartilage 0-4; three quarters thinned = 3"),
    "bone": (0, 2, "HEAD-US bone 0-2; markedly irregular cortex = 2"),
}
# The seed study's worked example, one joint: hyperplasia 2 + linear Doppler 2 +
# three quarters thinned 3 + markedly irregular cortex 2 = 9.
WORKED_EXAMPLE = {
    "effusion": 0,
    "synovial_hyperplasia": 2,
    "synovial_vascularity": 2,
    "hemosiderin": 0,
    "cartilage": 3,
    "bone": 2,
}


@pytest.fixture
def packaged() -> dict[str, Any]:
    return load_definition("head_us_c")


@pytest.fixture
def definition(packaged: dict[str, Any]) -> HeadUsCDefinition:
    return HeadUsCDefinition.from_mapping(packaged)


def joint(**items: int) -> dict[str, int]:
    return dict.fromkeys(REFERENCE_RANGES, 0) | items


def test_packaged_definition_is_provisional_and_cites_li_2018(
    definition: HeadUsCDefinition,
) -> None:
    # REFERENCE.md: "Point values are provisional."
    assert definition.info.code == "head_us_c"
    assert definition.info.status is Status.PROVISIONAL
    assert "Li et al" in definition.info.source
    assert [item.code for item in definition.items] == list(REFERENCE_RANGES)
    placeholders = [item.code for item in definition.items if "PLACEHOLDER" in item.basis]
    assert placeholders == ["effusion", "hemosiderin"]


ACCEPTED = [
    (item, value)
    for item, (low, high, _) in REFERENCE_RANGES.items()
    for value in sorted({low, low + 1, high})
]
REFUSED = [
    (item, value)
    for item, (low, high, _) in REFERENCE_RANGES.items()
    for value in (low - 1, high + 1)
]


@pytest.mark.parametrize(("item", "value"), ACCEPTED, ids=[f"{i}-{v}" for i, v in ACCEPTED])
def test_item_values_inside_the_range_score_their_points(
    definition: HeadUsCDefinition, item: str, value: int
) -> None:
    result = definition.score_mapping({"joints": {"left_ankle": joint(**{item: value})}})
    assert result.total == value


@pytest.mark.parametrize(("item", "value"), REFUSED, ids=[f"{i}-{v}" for i, v in REFUSED])
def test_item_values_outside_the_range_are_refused(
    definition: HeadUsCDefinition, item: str, value: int
) -> None:
    low, high, _ = REFERENCE_RANGES[item]
    with pytest.raises(
        InvalidInputError, match=rf"^left_ankle\.{item}: {value} is outside {low}-{high}$"
    ):
        definition.score_mapping({"joints": {"left_ankle": joint(**{item: value})}})


@pytest.mark.parametrize(
    ("doppler", "expected"),
    [(1, 8), (2, 9)],
    ids=["star-like-1", "linear-or-branching-2"],
)
def test_worked_example_joint(definition: HeadUsCDefinition, doppler: int, expected: int) -> None:
    # REFERENCE.md worked examples: 2 (hyperplasia) + doppler + 3 (cartilage) + 2 (bone).
    items = WORKED_EXAMPLE | {"synovial_vascularity": doppler}
    result = definition.score_mapping({"joints": {"right_ankle": items}})
    assert result.joint_totals == {IndexJoint.RIGHT_ANKLE: expected}


def test_output_has_the_head_us_shape(definition: HeadUsCDefinition) -> None:
    data = {"joints": {"left_knee": WORKED_EXAMPLE, "right_knee": joint(effusion=1)}}
    out = definition.score_mapping(data).as_dict()
    head_us_items = {"synovitis": 0, "cartilage": 0, "bone": 0}
    assert set(out) == set(
        head_us.score_mapping({"joints": {"left_knee": head_us_items}}).as_dict()
    )
    assert out["total"] == 10  # 9 + effusion 1
    assert out["joint_totals"] == {"left_knee": 9, "right_knee": 1}
    assert out["joints_scored"] == ["left_knee", "right_knee"]
    assert out["max_possible"] == 24  # 1 + 2 + 2 + 1 + 4 + 2 = 12 per joint
    assert (out["instrument"], out["status"], out["views_recorded"]) == (
        "head_us_c",
        "provisional",
        False,
    )


@pytest.mark.parametrize(
    ("hyperplasia", "cartilage", "bone"),
    [(0, 0, 0), (1, 1, 1), (2, 3, 2), (2, 4, 2)],
    ids=["all-zero", "all-one", "worked-example", "worst"],
)
def test_projection_to_head_us_keeps_synovium_cartilage_bone(
    definition: HeadUsCDefinition, hyperplasia: int, cartilage: int, bone: int
) -> None:
    # REFERENCE.md: HEAD-US-C adds effusion, hemosiderin and Doppler to HEAD-US's
    # synovium, cartilage and bone items; projecting drops the additions.
    items = joint(
        effusion=1,
        synovial_hyperplasia=hyperplasia,
        synovial_vascularity=2,
        hemosiderin=1,
        cartilage=cartilage,
        bone=bone,
    )
    assert definition.to_head_us(items) == {
        "synovitis": hyperplasia,
        "cartilage": cartilage,
        "bone": bone,
    }


@pytest.mark.parametrize(
    ("effusion", "hyperplasia", "expected"),
    [
        (0, 0, PocusFindings(False, False)),
        (1, 0, PocusFindings(True, False)),
        (0, 1, PocusFindings(False, True)),
        (1, 2, PocusFindings(True, True)),
    ],
    ids=["none", "effusion-1", "hyperplasia-1", "both"],
)
def test_projection_to_point_of_care(
    definition: HeadUsCDefinition, effusion: int, hyperplasia: int, expected: PocusFindings
) -> None:
    # Tier 1 asks effusion/hemarthrosis yes/no and synovial hypertrophy yes/no
    # (REFERENCE.md "Tiered ultrasound"): yes when the implying item is above 0.
    items = joint(effusion=effusion, synovial_hyperplasia=hyperplasia, synovial_vascularity=2)
    assert definition.to_pocus(items) == expected


def test_centre_override_changes_the_score_without_code_change(
    packaged: dict[str, Any], tmp_path: Path
) -> None:
    # A centre scores linear or branching Doppler 3 instead of 2 and drops hemosiderin.
    centre = copy.deepcopy(packaged)
    centre["version"] = "centre-2027"
    doppler = next(item for item in centre["items"] if item["code"] == "synovial_vascularity")
    doppler["max"] = 3
    doppler["points"]["3"] = "linear or branching signal"
    doppler["points"]["2"] = "several star-like signals"
    centre["items"] = [item for item in centre["items"] if item["code"] != "hemosiderin"]
    (tmp_path / "head_us_c.json").write_text(json.dumps(centre), encoding="utf-8")

    ours = scorer_from_definition(load_definition("head_us_c"))
    theirs = scorer_from_definition(load_definition("head_us_c", tmp_path))
    items = WORKED_EXAMPLE | {"synovial_vascularity": 2}
    assert ours.score_mapping({"joints": {"left_knee": items}}).as_dict()["total"] == 9
    centre_items = {key: value for key, value in items.items() if key != "hemosiderin"}
    centre_items["synovial_vascularity"] = 3
    out = theirs.score_mapping({"joints": {"left_knee": centre_items}}).as_dict()
    assert (out["total"], out["version"], out["max_possible"]) == (10, "centre-2027", 12)
    with pytest.raises(InvalidInputError, match=r"left_knee\.hemosiderin: 'hemosiderin' is not"):
        theirs.score_mapping({"joints": {"left_knee": items}})


def break_it(data: dict[str, Any], change: str) -> None:
    items = data["items"]
    if change == "points-gap":
        del items[1]["points"]["1"]
    elif change == "max-below-min":
        items[1]["min"] = 2
        items[1]["max"] = 1
    elif change == "duplicate-item":
        items.append(copy.deepcopy(items[0]))
    elif change == "projection-unknown-item":
        data["head_us_projection"]["synovitis"]["from"] = "synovium"
    elif change == "projection-out-of-head-us-range":
        data["head_us_projection"]["bone"]["points"]["2"] = 3
    elif change == "projection-missing-item":
        del data["head_us_projection"]["bone"]
    elif change == "pocus-empty":
        data["pocus_implications"]["effusion"] = []
    elif change == "pocus-unknown-finding":
        data["pocus_implications"]["blood"] = ["effusion"]
    elif change == "no-notes":
        del data["notes"]
    elif change == "bad-status":
        data["status"] = "draft"


BROKEN = [
    ("points-gap", r"items\[1\]\.points has keys \['0', '2'\]; expected exactly \['0', '1', '2'\]"),
    ("max-below-min", r"items\[1\]\.max: 1 is outside 2-100"),
    ("duplicate-item", r"items must be non-empty and unique"),
    ("projection-unknown-item", r"head_us_projection\.synovitis\.from: 'synovium' is not one of"),
    ("projection-out-of-head-us-range", r"head_us_projection\.bone\.points\.2: 3 is outside 0-2"),
    ("projection-missing-item", r"head_us_projection has keys \['cartilage', 'synovitis'\]"),
    ("pocus-empty", r"pocus_implications\.effusion must list at least one item"),
    ("pocus-unknown-finding", r"pocus_implications has keys"),
    ("no-notes", r"notes: is missing"),
    ("bad-status", r"status: 'draft' is not one of verified, provisional"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN, ids=[change for change, _ in BROKEN])
def test_malformed_definition_is_refused_naming_the_path(
    packaged: dict[str, Any], change: str, message: str
) -> None:
    broken = copy.deepcopy(packaged)
    break_it(broken, change)
    with pytest.raises(DefinitionError, match=rf"^head_us_c definition: {message}"):
        HeadUsCDefinition.from_mapping(broken)


def test_example_file_scores(definition: HeadUsCDefinition) -> None:
    data = json.loads((EXAMPLES / "head_us_c.json").read_text(encoding="utf-8"))
    assert definition.score_mapping(data).total is not None
