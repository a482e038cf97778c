"""Errors raised by the clinical core.

The tree::

    DomainError                  anything the domain refuses; never a bug
    ├── InvalidInputError        input values are wrong; carries FieldProblems
    └── DefinitionError          a definition file (e.g. a centre's override) is malformed

Outer layers map them: the CLI to exit code 2 with one line on stderr, the web
layer to HTTP 422 with ``{"error", "detail", "fields"}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def show_value(value: object) -> str:
    """Render a value as a user typed it: strings quoted, everything else plain.

    >>> show_value(4), show_value("NE"), show_value(None)
    ('4', "'NE'", 'null')
    """
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value)
    return str(value)


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field: where it is, what was given, what is allowed.

    ``field`` is a dotted path such as ``left_knee.swelling``.

    >>> FieldProblem.out_of_range("left_knee.swelling", 4, 0, 3).message
    'left_knee.swelling: 4 is outside 0-3'
    """

    field: str
    value: object
    allowed: str
    message: str

    @classmethod
    def out_of_range(cls, field: str, value: object, low: object, high: object) -> FieldProblem:
        allowed = f"{low}-{high}"
        return cls(field, value, allowed, f"{field}: {show_value(value)} is outside {allowed}")

    @classmethod
    def not_one_of(cls, field: str, value: object, choices: Iterable[object]) -> FieldProblem:
        allowed = ", ".join(str(choice) for choice in choices)
        message = f"{field}: {show_value(value)} is not one of {allowed}"
        return cls(field, value, allowed, message)

    @classmethod
    def wrong_type(cls, field: str, value: object, expected: str) -> FieldProblem:
        return cls(field, value, expected, f"{field}: {show_value(value)} is not {expected}")

    @classmethod
    def missing(cls, field: str, expected: str) -> FieldProblem:
        return cls(field, None, expected, f"{field}: is missing; expected {expected}")

    @classmethod
    def invalid(cls, field: str, value: object, allowed: str, why: str) -> FieldProblem:
        """Any other rule; ``why`` completes the sentence after the value."""
        return cls(field, value, allowed, f"{field}: {show_value(value)} {why}")


class DomainError(Exception):
    """Base of everything the clinical core refuses."""

    code = "domain_error"


class InvalidInputError(DomainError):
    """One or more input fields are invalid.

    ``str(error)`` is one line: the messages joined by ``"; "``.
    """

    code = "invalid_input"

    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InvalidInputError needs at least one problem")
        super().__init__("; ".join(problem.message for problem in self.problems))

    @classmethod
    def single(cls, problem: FieldProblem) -> InvalidInputError:
        return cls([problem])


class DefinitionError(DomainError):
    """A definition (instrument or settings file) does not have the expected shape."""

    code = "invalid_definition"
