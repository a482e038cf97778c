"""The synthetic demo cohort's children, drawn deterministically from a seed (no I/O).

The cohort mirrors the seed study's published description (REFERENCE.md section 1):
59 boys aged 4 to 17, 52 hemophilia A and 7 B, 43 severe and 16 moderate, 43 on
prophylaxis and 16 on demand before the programme, 70 affected joints (mostly
ankles, then knees, then elbows). Each child's outcome totals are placed on
an order-statistic ladder through the published median (IQR), so the cohort's
quartiles (SPSS's (n+1)p rule) land on the published ones: HJHS 9 (4, 15) -> 2 (1, 6),
HEAD-US-C 5 (2, 8) -> 1 (0, 3), CHO-KLAT 71.51 (60.46, 76.48) -> 79.15, joint
bleeds in the 12 weeks before 3 (2, 4) and during 0 (0, 1). The items behind each
total are generated here; the totals themselves are computed by the domain when the
assessments are recorded. Minimum, maximum and the unpublished week-12 CHO-KLAT
quartiles are this project's choices (plausible, not published).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.instruments.hjhs import HjhsItem
from hemojoint.domain.patients import HemophiliaType, PriorRegimen

COHORT_SIZE = 59
HEMOPHILIA_B = 7
MODERATE = 16
ON_DEMAND = 16
TWO_JOINT_CHILDREN = 11  # 48 children with one affected joint + 11 with two = 70 joints
JOINT_KINDS = {"ankle": 36, "knee": 22, "elbow": 12}  # 70, ankles > knees > elbows
MIN_AGE, MAX_AGE = 4, 17

# Ladders: (rank, value) anchors, ranks 1-based over 59 children. Ranks 15, 30 and 45
# are SPSS's quartile positions at (n + 1)p, so they carry the published Q1, median, Q3.
Ladder = tuple[tuple[int, float], ...]
HJHS_BEFORE: Ladder = ((1, 1), (15, 4), (30, 9), (45, 15), (59, 22))
HJHS_AFTER: Ladder = ((1, 0), (15, 1), (30, 2), (45, 6), (59, 12))
HEAD_US_C_BEFORE: Ladder = ((1, 1), (15, 2), (30, 5), (45, 8), (59, 12))
HEAD_US_C_AFTER: Ladder = ((1, 0), (15, 0), (30, 1), (45, 3), (59, 7))
CHOKLAT_BEFORE: Ladder = ((1, 45), (15, 60.46), (30, 71.51), (45, 76.48), (59, 92))
CHOKLAT_AFTER: Ladder = ((1, 58), (15, 70), (30, 79.15), (45, 86), (59, 97))
BLEEDS_BEFORE: Ladder = ((1, 1), (15, 2), (30, 3), (45, 4), (59, 7))
BLEEDS_DURING: Ladder = ((1, 0), (15, 0), (30, 0), (45, 1), (59, 3))

HJHS_ITEM_MAX = {
    HjhsItem.SWELLING: 3,
    HjhsItem.SWELLING_DURATION: 1,
    HjhsItem.MUSCLE_ATROPHY: 2,
    HjhsItem.CREPITUS: 2,
    HjhsItem.FLEXION_LOSS: 3,
    HjhsItem.EXTENSION_LOSS: 3,
    HjhsItem.JOINT_PAIN: 2,
    HjhsItem.STRENGTH: 4,
}
GAIT_MAX = 4
# HEAD-US-C items (packaged provisional definition head_us_c.json): structural first,
# so the points a child keeps at week 12 are mostly cartilage and bone.
HEAD_US_C_ITEM_MAX = {
    "cartilage": 4,
    "bone": 2,
    "synovial_hyperplasia": 2,
    "synovial_vascularity": 2,
    "effusion": 1,
    "hemosiderin": 1,
}
CHOKLAT_ITEMS = 35
# REFERENCE.md "CHO-KLAT 2.0": these items score answer - 1, the others 5 - answer.
CHOKLAT_DIRECT_ITEMS = frozenset({1, 2, 7, 12, 13, 14, 19, 20, 21, 22, 29, 30, 35})


@dataclass(frozen=True)
class ChildProfile:
    number: int  # 1-59: record number SYN-001 ...
    given_name: str
    age_at_start: int
    birth_date: date
    start_date: date
    hemophilia_type: HemophiliaType
    factor_activity_iu_dl: float
    prior_regimen: PriorRegimen
    joints: tuple[IndexJoint, ...]
    hjhs_before: dict[str, Any]
    hjhs_after: dict[str, Any]
    head_us_c_before: dict[str, Any]
    head_us_c_after: dict[str, Any]
    choklat_before_sum: int  # sum of the 35 item scores (0-4 each); score = 25 x mean
    choklat_after_sum: int
    bleeds_before: int
    bleeds_during: int
    adherence: float  # share of planned home sessions the family logs
    iliopsoas: str | None = None  # "plain" or "neuropathy"

    @property
    def record_number(self) -> str:
        return f"SYN-{self.number:03d}"


def ladder(anchors: Ladder, size: int = COHORT_SIZE) -> list[float]:
    """Values at ranks 1..size, linear between anchors (the anchors' ranks hit exactly)."""
    values = []
    for rank in range(1, size + 1):
        for (low_rank, low), (high_rank, high) in itertools.pairwise(anchors):
            if low_rank <= rank <= high_rank:
                values.append(low + (high - low) * (rank - low_rank) / (high_rank - low_rank))
                break
    return values


def whole_ladder(anchors: Ladder) -> list[int]:
    return [round(value) for value in ladder(anchors)]


def _exact_mix(rng: random.Random, size: int, rare: int, common: Any, uncommon: Any) -> list[Any]:
    mix = [uncommon] * rare + [common] * (size - rare)
    rng.shuffle(mix)
    return mix


def _joints(rng: random.Random) -> list[tuple[IndexJoint, ...]]:
    kinds = [kind for kind, count in JOINT_KINDS.items() for _ in range(count)]
    rng.shuffle(kinds)
    sizes = _exact_mix(rng, COHORT_SIZE, TWO_JOINT_CHILDREN, 1, 2)
    result = []
    for size in sizes:
        taken, kinds = kinds[:size], kinds[size:]
        sides = ["left", "right"]
        rng.shuffle(sides)
        pairs = zip(sides, taken, strict=False)  # one or two joints, two sides
        result.append(tuple(IndexJoint(f"{side}_{kind}") for side, kind in pairs))
    return result


def _fill(rng: random.Random, slots: dict[Any, int], caps: dict[Any, int], points: int) -> None:
    """Add ``points`` one at a time to random slots that still have room (in place)."""
    for _ in range(points):
        open_slots = [slot for slot in caps if slots[slot] < caps[slot]]
        if not open_slots:
            return
        slots[rng.choice(open_slots)] += 1


def _hjhs_pair(
    rng: random.Random, joints: Sequence[IndexJoint], before: int, after: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Week 12 first; the baseline adds the improvement on top (no item gets worse)."""
    caps: dict[Any, int] = {
        (joint, item): top for joint in joints for item, top in HJHS_ITEM_MAX.items()
    }
    caps[("gait", None)] = GAIT_MAX
    after_slots = dict.fromkeys(caps, 0)
    _fill(rng, after_slots, caps, after)
    before_slots = dict(after_slots)
    _fill(rng, before_slots, caps, before - after)
    return _hjhs_raw(before_slots), _hjhs_raw(after_slots)


def _hjhs_raw(slots: dict[Any, int]) -> dict[str, Any]:
    raw_joints = {joint.value: {item.value: 0 for item in HjhsItem} for joint in IndexJoint}
    for (joint, item), value in slots.items():
        if joint != "gait":
            raw_joints[joint.value][item.value] = value
    return {"joints": raw_joints, "gait": slots[("gait", None)]}


def _head_us_c_pair(
    rng: random.Random, joints: Sequence[IndexJoint], before: int, after: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    caps = {(joint, item): top for joint in joints for item, top in HEAD_US_C_ITEM_MAX.items()}
    structural = {slot: top for slot, top in caps.items() if slot[1] in ("cartilage", "bone")}
    after_slots = dict.fromkeys(caps, 0)
    _fill(rng, after_slots, structural, after)  # what remains at week 12 is structural
    _fill(rng, after_slots, caps, after - sum(after_slots.values()))
    before_slots = dict(after_slots)
    _fill(rng, before_slots, caps, before - after)
    return _head_us_c_raw(joints, before_slots), _head_us_c_raw(joints, after_slots)


def _head_us_c_raw(joints: Sequence[IndexJoint], slots: dict[Any, int]) -> dict[str, Any]:
    raw = {joint.value: dict.fromkeys(HEAD_US_C_ITEM_MAX, 0) for joint in joints}
    for (joint, item), value in slots.items():
        raw[joint.value][item] = value
    return {"joints": raw}


def choklat_responses(rng: random.Random, item_sum: int) -> dict[str, int]:
    """Answers (1-5) whose item scores (0-4) add up to ``item_sum``."""
    base, extra = divmod(item_sum, CHOKLAT_ITEMS)
    scores = [base + 1] * extra + [base] * (CHOKLAT_ITEMS - extra)
    rng.shuffle(scores)
    return {
        str(item): score + 1 if item in CHOKLAT_DIRECT_ITEMS else 5 - score
        for item, score in zip(range(1, CHOKLAT_ITEMS + 1), scores, strict=True)
    }


def _choklat_sum(score: float) -> int:
    return round(score * CHOKLAT_ITEMS / 25)


GIVEN_NAMES = (
    "Alex", "Ben", "Chen", "David", "Eli", "Felix", "Gao", "Hugo", "Ivan", "Jun", "Kai", "Leo",
    "Ming", "Noah", "Omar", "Peng", "Quan", "Rui", "Sam", "Tao", "Umar", "Victor", "Wei", "Xin",
    "Yang", "Zhi",
)  # fmt: skip


def cohort(seed: int, today: date) -> list[ChildProfile]:
    """The 59 children; the same seed and ``today`` give the same cohort."""
    rng = random.Random(seed)
    types = _exact_mix(rng, COHORT_SIZE, HEMOPHILIA_B, HemophiliaType.A, HemophiliaType.B)
    moderate = _exact_mix(rng, COHORT_SIZE, MODERATE, False, True)
    regimens = _exact_mix(
        rng, COHORT_SIZE, ON_DEMAND, PriorRegimen.PROPHYLAXIS, PriorRegimen.ON_DEMAND
    )
    ages = [MIN_AGE + index % (MAX_AGE - MIN_AGE + 1) for index in range(COHORT_SIZE)]
    rng.shuffle(ages)
    joints = _joints(rng)
    outcome_rank = list(range(COHORT_SIZE))
    rng.shuffle(outcome_rank)
    bleed_rank = list(range(COHORT_SIZE))
    rng.shuffle(bleed_rank)
    during_rank = list(range(COHORT_SIZE))
    rng.shuffle(during_rank)
    ladders = {
        name: whole_ladder(anchors)
        for name, anchors in (
            ("hjhs_before", HJHS_BEFORE),
            ("hjhs_after", HJHS_AFTER),
            ("us_before", HEAD_US_C_BEFORE),
            ("us_after", HEAD_US_C_AFTER),
            ("bleeds_before", BLEEDS_BEFORE),
            ("bleeds_during", BLEEDS_DURING),
        )
    }
    choklat_before = [_choklat_sum(v) for v in ladder(CHOKLAT_BEFORE)]
    choklat_after = [_choklat_sum(v) for v in ladder(CHOKLAT_AFTER)]
    # Outcome ranks run from best to worst for the scores, so CHO-KLAT (higher is better)
    # is read from the other end of its ladder: the children with the worst joints
    # report the lowest quality of life.
    children = []
    for index in range(COHORT_SIZE):
        rank = outcome_rank[index]
        hjhs_before, hjhs_after = _hjhs_pair(
            rng, joints[index], ladders["hjhs_before"][rank], ladders["hjhs_after"][rank]
        )
        us_before, us_after = _head_us_c_pair(
            rng, joints[index], ladders["us_before"][rank], ladders["us_after"][rank]
        )
        start = today - timedelta(days=91 + rng.randrange(0, 120))
        age = ages[index]
        children.append(
            ChildProfile(
                number=index + 1,
                given_name=GIVEN_NAMES[index % len(GIVEN_NAMES)],
                age_at_start=age,
                birth_date=_birth_date(start, age, rng.randrange(8, 120)),
                start_date=start,
                hemophilia_type=types[index],
                factor_activity_iu_dl=round(rng.uniform(1.0, 5.0), 1) if moderate[index] else 0.5,
                prior_regimen=regimens[index],
                joints=joints[index],
                hjhs_before=hjhs_before,
                hjhs_after=hjhs_after,
                head_us_c_before=us_before,
                head_us_c_after=us_after,
                choklat_before_sum=choklat_before[COHORT_SIZE - 1 - rank],
                choklat_after_sum=choklat_after[COHORT_SIZE - 1 - rank],
                bleeds_before=ladders["bleeds_before"][bleed_rank[index]],
                bleeds_during=ladders["bleeds_during"][during_rank[index]],
                adherence=round(rng.uniform(0.55, 0.95), 2),
            )
        )
    return _with_iliopsoas(rng, children)


def _birth_date(start: date, age_years: int, days_past_birthday: int) -> date:
    """Aged ``age_years`` from a week before ``start`` (the baseline) to the day of seeding."""
    birthday = start.replace(year=start.year - age_years, day=min(start.day, 28))
    return birthday - timedelta(days=days_past_birthday)


def _with_iliopsoas(rng: random.Random, children: list[ChildProfile]) -> list[ChildProfile]:
    """Two older boys (12 or more) have an iliopsoas bleed during the programme, one with
    femoral neuropathy (REFERENCE.md section 4: a bleed of adolescents, mean age 15.2)."""
    older = [child.number for child in children if child.age_at_start >= 12]
    chosen = dict(zip(rng.sample(older, 2), ("plain", "neuropathy"), strict=True))
    return [
        _replace_iliopsoas(child, chosen[child.number]) if child.number in chosen else child
        for child in children
    ]


def _replace_iliopsoas(child: ChildProfile, kind: str) -> ChildProfile:
    from dataclasses import replace

    return replace(child, iliopsoas=kind)
