"""What each instrument's entry form shows, built from the domain's own item tables.

A form is a list of field groups (one per joint, plus e.g. HJHS gait); each field is
one item with its whole-number range. Submitted text becomes the instrument's raw
JSON input (exactly what the API and ``hemojoint score`` take), which the domain
scorer then checks and scores: no range or total is computed here.

Licensed questionnaires (HJHS, CHO-KLAT) are shown by item identifier and range
only, never with their wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.instruments import choklat, fish, head_us, hjhs, pettersson
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.web.i18n import N_
from hemojoint.web.pages.labels import INSTRUMENT_LABELS, JOINT_LABELS

NE = hjhs.NE_CODE
# For live totals only (never saved): an item not entered yet is not evaluable yet.
NOT_YET_ENTERED = {"value": NE, "reason": "not entered yet"}

# Kinds of form: which raw shape the fields become.
HJHS_KIND = "hjhs"  # every joint and gait required; NE allowed with a reason
JOINTS_KIND = "joints"  # any subset of joints; a joint left blank is not scored
CHOKLAT_KIND = "choklat"  # respondent + numbered items; a blank item is missing
ACTIVITIES_KIND = "activities"  # one group of graded activities, all required


@dataclass(frozen=True)
class ItemField:
    """One item input: ``name`` is the domain's dotted field path (``left_knee.swelling``)."""

    name: str
    item: str
    low: int
    high: int
    allow_ne: bool = False

    @property
    def dom_id(self) -> str:
        return self.name.replace(".", "-")


@dataclass(frozen=True)
class FieldGroup:
    key: str  # a joint code, "global" or "responses"
    label: str
    fields: tuple[ItemField, ...]


@dataclass(frozen=True)
class FormSpec:
    code: str
    kind: str
    label: str
    groups: tuple[FieldGroup, ...]
    licensed: bool = False

    @property
    def fields(self) -> tuple[ItemField, ...]:
        return tuple(field for group in self.groups for field in group.fields)


def _joint_groups(items: list[tuple[str, int, int]], allow_ne: bool = False) -> list[FieldGroup]:
    return [
        FieldGroup(
            joint.value,
            JOINT_LABELS[joint.value],
            tuple(
                ItemField(f"{joint.value}.{code}", code, low, high, allow_ne)
                for code, low, high in items
            ),
        )
        for joint in IndexJoint
    ]


def _hjhs() -> FormSpec:
    items = [(item.value, 0, hjhs.ITEM_MAX[item]) for item in hjhs.HjhsItem]
    gait = FieldGroup(
        "global",
        N_("Global gait"),
        (ItemField(hjhs.GAIT_FIELD, hjhs.GAIT_FIELD, 0, hjhs.GAIT_MAX, allow_ne=True),),
    )
    groups = (*_joint_groups(items, allow_ne=True), gait)
    return FormSpec("hjhs", HJHS_KIND, INSTRUMENT_LABELS["hjhs"], groups, licensed=True)


def _joint_form(code: str, items: list[tuple[str, int, int]]) -> FormSpec:
    return FormSpec(code, JOINTS_KIND, INSTRUMENT_LABELS[code], tuple(_joint_groups(items)))


def _choklat(definitions_dir: Path | None) -> FormSpec:
    definition = choklat.ChoklatDefinition.from_mapping(load_definition("choklat", definitions_dir))
    fields = tuple(
        ItemField(f"responses.{item}", item, definition.answer_min, rule.options)
        for item, rule in definition.items.items()
    )
    group = FieldGroup("responses", N_("Items"), fields)
    label = INSTRUMENT_LABELS["choklat"]
    return FormSpec("choklat", CHOKLAT_KIND, label, (group,), licensed=True)


def _head_us_c(definitions_dir: Path | None) -> FormSpec:
    definition = HeadUsCDefinition.from_mapping(load_definition("head_us_c", definitions_dir))
    return _joint_form("head_us_c", [(i.code, i.low, i.high) for i in definition.items])


def _fish() -> FormSpec:
    fields = tuple(
        ItemField(
            f"activities.{activity.value}", activity.value, fish.ACTIVITY_MIN, fish.ACTIVITY_MAX
        )
        for activity in fish.FishActivity
    )
    group = FieldGroup("activities", N_("Activities"), fields)
    return FormSpec("fish", ACTIVITIES_KIND, INSTRUMENT_LABELS["fish"], (group,))


def form_specs(definitions_dir: Path | None) -> dict[str, FormSpec]:
    """Instrument code -> its form, with this centre's definition files."""
    specs = [
        _hjhs(),
        _joint_form("head_us", [(i.code, i.low, i.high) for i in head_us.ITEMS]),
        _head_us_c(definitions_dir),
        _choklat(definitions_dir),
        _joint_form(
            "pettersson",
            [(i.value, 0, pettersson.ITEM_MAXIMA[i]) for i in pettersson.PetterssonItem],
        ),
        _fish(),
    ]
    return {spec.code: spec for spec in specs}


# --- submitted text -> raw JSON input -------------------------------------------


@dataclass(frozen=True)
class Entered:
    """The raw input built from a form, the problems found reading it, and the blanks."""

    raw: dict[str, Any]
    problems: list[FieldProblem]
    blanks: list[str]


def _whole_number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _item_value(field: ItemField, form: Mapping[str, str], problems: list[FieldProblem]) -> Any:
    """The item's raw value, ``None`` when blank; NE with its reason where allowed."""
    if field.allow_ne and form.get(f"{field.name}.ne"):
        reason = form.get(f"{field.name}.reason", "").strip()
        return {"value": NE, "reason": reason} if reason else {"value": NE}
    text = form.get(field.name, "").strip()
    if not text:
        return None
    number = _whole_number(text)
    if number is None:
        allowed = f"a whole number {field.low}-{field.high}"
        problems.append(FieldProblem.wrong_type(field.name, text, allowed))
    return number


def entered(spec: FormSpec, form: Mapping[str, str], *, blanks_as_ne: bool = False) -> Entered:
    """Read the submitted items into the instrument's raw input.

    ``blanks_as_ne`` (HJHS live totals only): an item not yet entered is passed to the
    scorer as not evaluable, so the domain gives the joint totals that are complete
    and its partial total over the items entered so far.
    """
    problems: list[FieldProblem] = []
    blanks: list[str] = []
    values: dict[str, Any] = {}
    for field in spec.fields:
        value = _item_value(field, form, problems)
        if value is None:
            blanks.append(field.name)
            if blanks_as_ne and field.allow_ne:
                values[field.name] = NOT_YET_ENTERED
            continue
        values[field.name] = value
    return Entered(_shape(spec, values, form), problems, blanks)


def _shape(spec: FormSpec, values: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    if spec.kind == CHOKLAT_KIND:
        return _choklat_raw(values, form)
    if spec.kind == ACTIVITIES_KIND:
        return {"activities": _nested(values)["activities"] if values else {}}
    nested = _nested(values)
    if spec.kind == HJHS_KIND:
        joints = {joint.value: nested.get(joint.value, {}) for joint in IndexJoint}
        raw: dict[str, Any] = {"joints": joints}
        if hjhs.GAIT_FIELD in values:
            raw[hjhs.GAIT_FIELD] = values[hjhs.GAIT_FIELD]
        return raw
    return {"joints": nested}  # only the joints with something entered


def _nested(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{"left_knee.swelling": 2}`` -> ``{"left_knee": {"swelling": 2}}`` (one level)."""
    nested: dict[str, Any] = {}
    for name, value in values.items():
        group, _, item = name.partition(".")
        if item:
            nested.setdefault(group, {})[item] = value
    return nested


def _choklat_raw(values: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    responses = {name.partition(".")[2]: value for name, value in values.items()}
    raw: dict[str, Any] = {"respondent": form.get("respondent", ""), "responses": responses}
    age = form.get("age_years", "").strip()
    if age:
        raw["age_years"] = int(age) if age.isdigit() else age
    return raw
