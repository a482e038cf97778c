"""The home plan's words in each language: labels, dates, joints and doses.

The texts are data (``home_plan_labels.json`` beside this module), one block per
language with exactly the same keys. The web UI will bring gettext catalogues;
a printed plan only needs this small table, so it stays here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from hemojoint.domain.errors import DefinitionError
from hemojoint.domain.rehab.model import PlannedExercise

LABELS_FILE = "home_plan_labels.json"


class Language(StrEnum):
    """The languages of the exercise library, hence of the printed plan."""

    EN = "en"
    ZH_HANS = "zh-Hans"


@cache
def _table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(LABELS_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    if not all(isinstance(data.get(language.value), dict) for language in Language):
        raise DefinitionError(f"{LABELS_FILE} needs a block per language: {', '.join(Language)}")
    return dict(data)


def safety_provisional() -> bool:
    """Whether the safety wording still awaits the centre's review (shown on the plan)."""
    return bool(_table()["safety_status"] == "provisional")


@dataclass(frozen=True)
class Labels:
    """The label table of one language, with the formatting rules that need it."""

    language: Language

    @property
    def texts(self) -> Mapping[str, Any]:
        block: Mapping[str, Any] = _table()[self.language.value]
        return block

    def __getitem__(self, key: str) -> Any:
        return self.texts[key]

    def fill(self, key: str, **values: object) -> str:
        """The label ``key`` with its ``{placeholders}`` filled (plain text, escaped later).

        >>> Labels(Language.ZH_HANS).fill("week", number=3)
        '第 3 周'
        """
        return str(self.texts[key]).format(**values)

    def date(self, day: date, *, with_year: bool = True) -> str:
        """The day in the language's own order, without a locale (the same on every server).

        >>> Labels(Language.EN).date(date(2026, 1, 5)), Labels(Language.EN).date(
        ...     date(2026, 1, 5), with_year=False)
        ('Mon 5 Jan 2026', 'Mon 5 Jan')
        """
        key = "date_format" if with_year else "short_date_format"
        return self.fill(
            key,
            weekday=self.texts["weekdays"][day.weekday()],
            day=day.day,
            month=self.texts["months"][day.month - 1],
            year=day.year,
        )

    def joints(self, codes: Iterable[str]) -> str:
        """``left ankle and right ankle`` / ``左踝和右踝``; unknown codes are shown as given."""
        names = [str(self.texts["joints"].get(code, code)) for code in codes]
        if len(names) <= 1:
            return "".join(names)
        separator, last = str(self.texts["list_separator"]), str(self.texts["and"])
        return separator.join(names[:-1]) + last + names[-1]

    def dose(self, planned: PlannedExercise) -> str:
        """How much of an exercise, as planned for the week (already at its intensity).

        >>> from hemojoint.domain.rehab.model import Variant
        >>> Labels(Language.EN).dose(PlannedExercise("x", Variant.GAME, (), 1, None, None, 3))
        '3 min'
        """
        sets, reps, hold, minutes = (
            planned.sets,
            planned.reps,
            planned.hold_seconds,
            planned.minutes,
        )
        if minutes is not None:
            key = "dose_minutes" if sets == 1 else "dose_sets_minutes"
            return self.fill(key, sets=sets, minutes=minutes)
        if reps is not None:
            key = "dose_sets_reps" if hold is None else "dose_sets_reps_hold"
            return self.fill(key, sets=sets, reps=reps, hold=hold)
        return self.fill("dose_sets_hold", sets=sets, hold=hold)


def label_keys() -> dict[str, set[str]]:
    """Each language's label keys (a test checks that they are the same)."""
    return {language.value: set(_table()[language.value]) for language in Language}
