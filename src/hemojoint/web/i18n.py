"""Languages of the web pages: English source strings, Simplified Chinese from gettext catalogues.

The catalogues are Babel ``.po`` files under ``web/locale/<locale>/LC_MESSAGES`` (one per
area of the application, merged at start-up), compiled in memory so no binary ``.mo``
file has to be kept in step with its source. ``pybabel extract -F babel.cfg`` lists
every string the pages use; a test checks each has a translation.
"""

from __future__ import annotations

import gettext
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE_COOKIE = "hemojoint_lang"
DEFAULT_LANGUAGE = "en"
# Language code (as in <html lang> and the cookie) -> Babel locale and its own name.
LANGUAGES: dict[str, str] = {"en": "en", "zh-Hans": "zh_Hans"}
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh-Hans": "简体中文"}


def choose_language(request: Request) -> str:
    """The cookie set by the language switch wins; otherwise the browser's preference."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    accepted = request.headers.get("accept-language", "").lower()
    first = accepted.split(",")[0].strip()
    return "zh-Hans" if first.startswith("zh") else DEFAULT_LANGUAGE


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Every catalogue of ``language`` merged; English pages use the source strings."""
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / LANGUAGES[language] / "LC_MESSAGES"
    merged = Translations()
    for po_file in sorted(folder.glob("*.po")):
        merged.merge(_compiled(po_file, LANGUAGES[language]))
    return merged


def _compiled(po_file: Path, locale: str) -> Translations:
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def babel_locale(language: str) -> Locale:
    return Locale.parse(LANGUAGES[language])


def show_date(value: date | None, language: str) -> str:
    """A date as people of ``language`` write it (``21 Nov 2026`` / ``2026年11月21日``)."""
    if value is None:
        return ""
    return format_date(value, format="medium", locale=babel_locale(language))


def show_datetime(value: datetime | None, language: str) -> str:
    if value is None:
        return ""
    return format_datetime(value, format="short", locale=babel_locale(language))


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message
