"""The standard acquisition protocol of joint ultrasound: which views each tier needs.

Bakeer N et al., Res Pract Thromb Haemost (RPTH) 2021, global survey and consensus
(REFERENCE.md section 3 "Tiered ultrasound"): standard acquisition protocols for
elbows, knees and ankles. The views required per joint kind and tier come from the
(provisional) ``us_protocol`` definition; :mod:`hemojoint.domain.ultrasound` uses
them to tell complete joints from incomplete ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.instruments.base import InstrumentInfo
from hemojoint.domain.validation import (
    enum_value,
    no_unknown_keys,
    require_key,
    require_list,
    require_mapping,
)


class Tier(StrEnum):
    """Scoring tiers from 1 (simplest) to 4; ``level`` gives the number.

    >>> [tier.level for tier in Tier]
    [1, 2, 3, 4]
    """

    POCUS = "pocus"
    HEAD_US = "head_us"
    HEAD_US_C = "head_us_c"
    MEASUREMENT = "measurement"

    @property
    def level(self) -> int:
        return list(Tier).index(self) + 1


@dataclass(frozen=True)
class StandardView:
    """One view of the acquisition protocol, required from tier ``required_from`` upwards."""

    code: str
    required_from: Tier
    shows: str


@dataclass(frozen=True)
class UsProtocol:
    """Standard views per joint kind (``elbow``, ``knee``, ``ankle``), from a definition."""

    info: InstrumentInfo
    views: Mapping[str, tuple[StandardView, ...]]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> UsProtocol:
        """Parse the ``us_protocol`` definition; a bad shape raises :class:`DefinitionError`."""
        try:
            return cls(InstrumentInfo.from_mapping(data), _parse_joint_kinds(data))
        except (InvalidInputError, DefinitionError) as error:
            raise DefinitionError(f"us_protocol definition: {error}") from error

    def view_codes(self, joint: IndexJoint) -> tuple[str, ...]:
        return tuple(view.code for view in self.views[joint.kind])

    def missing_views(
        self, joint: IndexJoint, tier: Tier, obtained: frozenset[str]
    ) -> tuple[str, ...]:
        """Views required for ``joint`` at ``tier`` that were not obtained, in protocol order.

        >>> views = {kind: [{"code": f"{kind}_recess", "required_from": "pocus"},
        ...                 {"code": f"{kind}_surface", "required_from": "head_us"}]
        ...          for kind in ("elbow", "knee", "ankle")}
        >>> protocol = UsProtocol.from_mapping({"code": "p", "name": "P", "version": "1",
        ...     "status": "provisional", "source": "example", "joint_kinds": views})
        >>> protocol.missing_views(IndexJoint.LEFT_KNEE, Tier.POCUS, frozenset())
        ('knee_recess',)
        >>> protocol.missing_views(IndexJoint.LEFT_KNEE, Tier.HEAD_US, frozenset({"knee_recess"}))
        ('knee_surface',)
        """
        return tuple(
            view.code
            for view in self.views[joint.kind]
            if view.required_from.level <= tier.level and view.code not in obtained
        )


_PROTOCOL_KEYS = ("code", "name", "version", "status", "source", "notes", "joint_kinds")


def _parse_joint_kinds(data: Mapping[str, Any]) -> dict[str, tuple[StandardView, ...]]:
    no_unknown_keys("", data, _PROTOCOL_KEYS)
    kinds = require_mapping("joint_kinds", require_key(data, "joint_kinds", "", "an object"))
    no_unknown_keys("joint_kinds", kinds, sorted({joint.kind for joint in IndexJoint}))
    missing = {joint.kind for joint in IndexJoint} - set(kinds)
    if missing:
        raise DefinitionError(f"no views for {sorted(missing)}")
    return {kind: _parse_views(f"joint_kinds.{kind}", kinds[kind]) for kind in kinds}


def _parse_views(path: str, data: object) -> tuple[StandardView, ...]:
    entries = require_list(path, data)
    views = []
    for index, entry in enumerate(entries):
        where = f"{path}[{index}]"
        view = require_mapping(where, entry)
        no_unknown_keys(where, view, ("code", "required_from", "shows"))
        required_from = enum_value(
            f"{where}.required_from", require_key(view, "required_from", where, "a tier"), Tier
        )
        code, shows = require_key(view, "code", where, "a text"), view.get("shows", "")
        if not isinstance(code, str) or not code or not isinstance(shows, str):
            raise DefinitionError(f"{where} needs a text code and shows")
        views.append(StandardView(code, required_from, shows))
    if not views or len({view.code for view in views}) != len(views):
        raise DefinitionError(f"{path} needs unique views")
    return tuple(views)
