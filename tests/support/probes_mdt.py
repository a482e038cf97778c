"""Permission-matrix probes for the mdt part of the rehabilitation programme (issue 4)."""

from __future__ import annotations

from tests.support.permission_world import Probe

PROBES: list[Probe] = []
