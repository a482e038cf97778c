"""Small checks that turn raw JSON-like input into typed values or FieldProblems.

Every check takes the dotted ``field`` path so that the error names it. Use a
:class:`ProblemCollector` to report every invalid field at once instead of
stopping at the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from hemojoint.domain.errors import FieldProblem, InvalidInputError

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


def fail(problem: FieldProblem) -> InvalidInputError:
    """Build the error for one problem (``raise fail(...)`` reads well)."""
    return InvalidInputError.single(problem)


def require_mapping(field: str, value: object) -> Mapping[str, Any]:
    """Return ``value`` if it is a JSON object.

    >>> require_mapping("joints", [])
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: joints: [] is not an object
    """
    if not isinstance(value, Mapping):
        raise fail(FieldProblem.wrong_type(field, value, "an object"))
    return value


def require_list(field: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        raise fail(FieldProblem.wrong_type(field, value, "a list"))
    return value


def require_key(data: Mapping[str, Any], key: str, prefix: str, expected: str) -> Any:
    """Return ``data[key]`` or raise a 'missing' problem for ``prefix.key``."""
    if key not in data:
        raise fail(FieldProblem.missing(join_path(prefix, key), expected))
    return data[key]


def join_path(prefix: str, key: str) -> str:
    """``join_path("left_knee", "swelling") == "left_knee.swelling"``; empty prefix is dropped."""
    return f"{prefix}.{key}" if prefix else key


def int_in_range(field: str, value: object, low: int, high: int) -> int:
    """Return ``value`` if it is a whole number within ``low..high`` (booleans refused).

    >>> int_in_range("left_knee.swelling", 2, 0, 3)
    2
    >>> int_in_range("left_knee.swelling", 4, 0, 3)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: left_knee.swelling: 4 is outside 0-3
    """
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise fail(FieldProblem.out_of_range(field, value, low, high))
    if not low <= value <= high:
        raise fail(FieldProblem.out_of_range(field, value, low, high))
    return value


def number_in_range(field: str, value: object, low: float, high: float | None = None) -> float:
    """Return ``value`` as float if it is a number within ``low..high`` (``high=None``: no cap)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(FieldProblem.wrong_type(field, value, "a number"))
    number = float(value)
    if high is None and number < low:
        raise fail(FieldProblem.invalid(field, value, f"{low} or more", f"is below {low}"))
    if high is not None and not low <= number <= high:
        raise fail(FieldProblem.out_of_range(field, value, low, high))
    return number


def enum_value(field: str, value: object, enum: type[E]) -> E:
    """Return the member of ``enum`` whose code is ``value``.

    >>> from enum import StrEnum
    >>> class Side(StrEnum):
    ...     LEFT = "left"
    ...     RIGHT = "right"
    >>> enum_value("side", "left", Side)
    <Side.LEFT: 'left'>
    >>> enum_value("side", "up", Side)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: side: 'up' is not one of left, right
    """
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    raise fail(FieldProblem.not_one_of(field, value, [member.value for member in enum]))


def iso_date(field: str, value: object) -> date:
    """Parse ``YYYY-MM-DD`` (a ``date`` passes through)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise fail(FieldProblem.wrong_type(field, value, "a date as YYYY-MM-DD"))


def iso_datetime(field: str, value: object) -> datetime:
    """Parse an ISO 8601 date-time; a bare date means midnight."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise fail(FieldProblem.wrong_type(field, value, "a date-time as YYYY-MM-DDTHH:MM"))


def no_unknown_keys(prefix: str, data: Mapping[str, Any], known: Iterable[str]) -> None:
    """Refuse keys we do not know, so a typo never silently scores as absent."""
    allowed = list(known)
    for key in data:
        if key not in allowed:
            field = join_path(prefix, str(key))
            raise fail(FieldProblem.not_one_of(field, key, allowed))


class ProblemCollector:
    """Run several checks and raise once with every problem found.

    >>> problems = ProblemCollector()
    >>> problems.check(int_in_range, "a", 9, 0, 3)
    >>> problems.check(int_in_range, "b", 1, 0, 3)
    1
    >>> problems.raise_if_any()
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: a: 9 is outside 0-3
    """

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def check(self, parse: Callable[..., T], *args: Any) -> T | None:
        """Return ``parse(*args)``, or ``None`` after recording its problems."""
        try:
            return parse(*args)
        except InvalidInputError as error:
            self.problems.extend(error.problems)
            return None

    def add(self, problem: FieldProblem) -> None:
        """Record a problem found by the caller's own rule."""
        self.problems.append(problem)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInputError(self.problems)
