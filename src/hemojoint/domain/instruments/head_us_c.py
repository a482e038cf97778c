"""HEAD-US-C: the Chinese adaptation of HEAD-US (ultrasound tier 3), PROVISIONAL.

Li et al., Chin J Hematol 2018;39(2):132-136. HEAD-US-C adds joint effusion /
hemarthrosis and synovial findings (hemosiderin, colour-Doppler synovial
vascularity) to HEAD-US's synovium, cartilage and bone items (REFERENCE.md
section 3 "HEAD-US-C"). Its point values are provisional, so none are written
here: this module declares the *shape* of the definition and scores with whatever
``src/hemojoint/definitions/head_us_c.json`` (or a centre's replacement) says.

The definition lists, per item, its range and a label for every point; for each
HEAD-US item, which HEAD-US-C item projects onto it and how its points translate;
and for each point-of-care finding, which items imply it (any of them above its
minimum). Scoring sums the items per joint and over joints, like HEAD-US.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.instruments import head_us, pocus
from hemojoint.domain.instruments._shared import (
    ItemRange,
    JointSumResult,
    parse_items,
    parse_joint_map,
    sum_joints,
)
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer
from hemojoint.domain.validation import (
    int_in_range,
    no_unknown_keys,
    require_key,
    require_list,
    require_mapping,
)

# A sanity bound on any item's points in a definition file; not a clinical number.
_LIMIT = 100
_TOP_KEYS = (
    "code",
    "name",
    "version",
    "status",
    "source",
    "notes",
    "items",
    "head_us_projection",
    "pocus_implications",
)


@dataclass(frozen=True)
class ItemDefinition:
    """One HEAD-US-C item: its points ``low..high``, a label per point and its evidence."""

    code: str
    low: int
    high: int
    labels: Mapping[int, str]
    basis: str

    @property
    def range(self) -> ItemRange:
        return ItemRange(self.code, self.low, self.high)


@dataclass(frozen=True)
class Projection:
    """How one HEAD-US-C item's points become one HEAD-US item's points."""

    source: str
    points: Mapping[int, int]


@dataclass(frozen=True)
class HeadUsCDefinition:
    """A parsed, validated HEAD-US-C definition (see the module docstring)."""

    info: InstrumentInfo
    notes: str
    items: tuple[ItemDefinition, ...]
    head_us_projection: Mapping[str, Projection]
    pocus_implications: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> HeadUsCDefinition:
        """Parse a definition; any bad shape raises :class:`DefinitionError` naming the path."""
        try:
            return _parse_definition(data)
        except (InvalidInputError, DefinitionError) as error:
            raise DefinitionError(f"head_us_c definition: {error}") from error

    @property
    def joint_max(self) -> int:
        return sum(item.high for item in self.items)

    def parse_joint(self, field_path: str, data: object) -> dict[str, int]:
        """One joint's item points, each within the range this definition gives it."""
        return parse_items(field_path, data, [item.range for item in self.items])

    def to_head_us(self, items: Mapping[str, int]) -> dict[str, int]:
        """Project one joint's HEAD-US-C items to HEAD-US items via the projection map."""
        return {
            target: rule.points[items[rule.source]]
            for target, rule in self.head_us_projection.items()
        }

    def to_pocus(self, items: Mapping[str, int]) -> pocus.PocusFindings:
        """A finding is present when any item that implies it is above its minimum."""
        lows = {item.code: item.low for item in self.items}
        present = {
            finding: any(items[code] > lows[code] for code in codes)
            for finding, codes in self.pocus_implications.items()
        }
        return pocus.PocusFindings(**present)

    def score(
        self,
        joints: Mapping[IndexJoint, Mapping[str, int]],
        missing_views: Mapping[IndexJoint, Sequence[str]] | None = None,
    ) -> JointSumResult:
        """Sum of item points per joint and over joints (``joint_max`` points per joint)."""
        return sum_joints(self.info, joints, self.joint_max, missing_views)

    def score_mapping(self, data: Mapping[str, Any]) -> JointSumResult:
        """Score ``{"joints": {"left_knee": {"effusion": 1, ...}, ...}}``."""
        return self.score(parse_joint_map(data, self.parse_joint))


def scorer_from_definition(data: Mapping[str, Any]) -> Scorer:
    """The HEAD-US-C scorer for a parsed definition file (info and status from the file)."""
    definition = HeadUsCDefinition.from_mapping(data)
    return Scorer(definition.info, definition.score_mapping)


def _parse_definition(data: Mapping[str, Any]) -> HeadUsCDefinition:
    no_unknown_keys("", data, _TOP_KEYS)
    items = tuple(
        _parse_item(f"items[{index}]", entry)
        for index, entry in enumerate(
            require_list("items", require_key(data, "items", "", "a list"))
        )
    )
    codes = [item.code for item in items]
    if not items or len(set(codes)) != len(codes):
        raise DefinitionError(f"items must be non-empty and unique: {codes}")
    by_code = {item.code: item for item in items}
    projection = require_key(data, "head_us_projection", "", "an object")
    implications = require_key(data, "pocus_implications", "", "an object")
    return HeadUsCDefinition(
        info=InstrumentInfo.from_mapping(data),
        notes=_text("notes", require_key(data, "notes", "", "a text")),
        items=items,
        head_us_projection=_parse_projection(projection, by_code),
        pocus_implications=_parse_implications(implications, by_code),
    )


def _text(path: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(f"{path} must be a non-empty text")
    return value


def _parse_item(path: str, data: object) -> ItemDefinition:
    record = require_mapping(path, data)
    no_unknown_keys(path, record, ("code", "min", "max", "points", "basis"))
    code = _text(f"{path}.code", require_key(record, "code", path, "a text"))
    low = int_in_range(f"{path}.min", require_key(record, "min", path, "a number"), 0, _LIMIT)
    high = int_in_range(f"{path}.max", require_key(record, "max", path, "a number"), low, _LIMIT)
    labels = require_mapping(f"{path}.points", require_key(record, "points", path, "an object"))
    _same_keys(f"{path}.points", labels, range(low, high + 1))
    return ItemDefinition(
        code=code,
        low=low,
        high=high,
        labels={int(key): _text(f"{path}.points.{key}", label) for key, label in labels.items()},
        basis=_text(f"{path}.basis", require_key(record, "basis", path, "a text")),
    )


def _same_keys(path: str, data: Mapping[str, Any], expected: Sequence[object]) -> None:
    """Refuse a table that does not have exactly one entry per expected key."""
    wanted = sorted(str(key) for key in expected)
    if sorted(data) != wanted:
        raise DefinitionError(f"{path} has keys {sorted(data)}; expected exactly {wanted}")


def _parse_projection(data: object, items: Mapping[str, ItemDefinition]) -> dict[str, Projection]:
    table = require_mapping("head_us_projection", data)
    _same_keys("head_us_projection", table, [item.code for item in head_us.ITEMS])
    rules: dict[str, Projection] = {}
    for target in head_us.ITEMS:
        path = f"head_us_projection.{target.code}"
        rule = require_mapping(path, table[target.code])
        no_unknown_keys(path, rule, ("from", "points"))
        source = _known_item(f"{path}.from", require_key(rule, "from", path, "an item"), items)
        points = require_mapping(f"{path}.points", require_key(rule, "points", path, "an object"))
        _same_keys(f"{path}.points", points, range(source.low, source.high + 1))
        rules[target.code] = Projection(
            source=source.code,
            points={
                int(key): int_in_range(f"{path}.points.{key}", value, target.low, target.high)
                for key, value in points.items()
            },
        )
    return rules


def _parse_implications(
    data: object, items: Mapping[str, ItemDefinition]
) -> dict[str, tuple[str, ...]]:
    table = require_mapping("pocus_implications", data)
    _same_keys("pocus_implications", table, pocus.FINDINGS)
    implications: dict[str, tuple[str, ...]] = {}
    for finding in pocus.FINDINGS:
        path = f"pocus_implications.{finding}"
        codes = require_list(path, table[finding])
        if not codes:
            raise DefinitionError(f"{path} must list at least one item")
        implications[finding] = tuple(
            _known_item(f"{path}[{index}]", code, items).code for index, code in enumerate(codes)
        )
    return implications


def _known_item(path: str, code: object, items: Mapping[str, ItemDefinition]) -> ItemDefinition:
    if not isinstance(code, str) or code not in items:
        raise DefinitionError(f"{path}: {code!r} is not one of {list(items)}")
    return items[code]
