"""The export's container: one Bundle of type ``collection``, then its checks.

A collection is a set of resources with no processing rules: the receiver files
them as it sees fit. Entries are addressed under the local base so that relative
references (``Patient/patient-1``) resolve inside the bundle (FHIR R4B, Bundle
"Resolving references in Bundles").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from hemojoint.interop.fhir import codes
from hemojoint.interop.fhir.mappers import Resource


class FhirExportError(Exception):
    """The bundle does not validate: a bug of ours, never something to ship."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("FHIR bundle does not validate: " + "; ".join(problems))
        self.problems = problems


def build(resources: Iterable[Resource], *, timestamp: datetime) -> dict[str, Any]:
    entries = [
        {"fullUrl": f"{codes.LOCAL_BASE}/{r['resourceType']}/{r['id']}", "resource": r}
        for r in resources
    ]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timestamp.isoformat(),
    }
    return bundle | ({"entry": entries} if entries else {})


def resource_counts(bundle: Mapping[str, Any]) -> dict[str, int]:
    counts = Counter(entry["resource"]["resourceType"] for entry in bundle.get("entry", []))
    return dict(sorted(counts.items()))


def validate(bundle: Mapping[str, Any]) -> Bundle:
    """Parse the bundle back with fhir.resources (R4B), then check codes and references.

    Raises FhirExportError naming every problem; returns the parsed model.
    """
    try:
        parsed = Bundle.model_validate(dict(bundle))
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise FhirExportError([str(error)]) from error
    problems = [*code_problems(bundle), *reference_problems(bundle)]
    if problems:
        raise FhirExportError(problems)
    return parsed


def code_problems(document: Any) -> list[str]:
    """Every coding (and UCUM quantity) names a known system, and a known code of it."""
    problems = []
    for path, coding in _codings(document, "Bundle"):
        system, code = coding.get("system"), coding.get("code")
        if system not in codes.KNOWN_SYSTEMS:
            problems.append(f"{path}: unknown code system {system!r}")
        elif system in codes.LOCAL_CODES and code not in codes.LOCAL_CODES[system]:
            problems.append(f"{path}: code {code!r} is not in local system {system}")
        elif system in codes.EXTERNAL_CODES and code not in codes.EXTERNAL_CODES[system]:
            problems.append(f"{path}: code {code!r} of {system} is not one the export uses")
    return problems


def _codings(node: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Dictionaries with a ``code`` beside a ``system``: Codings and coded Quantities."""
    if isinstance(node, Mapping):
        if "system" in node and "code" in node:
            yield path, node
        for key, value in node.items():
            yield from _codings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _codings(value, f"{path}[{index}]")


def reference_problems(bundle: Mapping[str, Any]) -> list[str]:
    """Every ``{"reference": "Type/id"}`` points at an entry of the bundle."""
    entries = bundle.get("entry", [])
    present = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in entries}
    return [
        f"{path}: {target} is not in the bundle"
        for path, target in _references(entries, "Bundle.entry")
        if target not in present
    ]


def _references(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        if isinstance(node.get("reference"), str):
            yield path, node["reference"]
        for key, value in node.items():
            yield from _references(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _references(value, f"{path}[{index}]")
