"""Every string the pages show has a Simplified Chinese translation (Babel catalogues)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from hemojoint.web import i18n

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "src" / "hemojoint" / "web"
# The same method map as babel.cfg, which `pybabel extract` uses.
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(WEB, METHODS):
        found.add(message if isinstance(message, str) else message[0])
    return found - {""}


def _catalogue() -> dict[str, str]:
    merged: dict[str, str] = {}
    for po_file in sorted((i18n.LOCALE_DIR / "zh_Hans" / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as source:
            for entry in read_po(source):
                if entry.id:
                    merged[str(entry.id)] = str(entry.string)
    return merged


def test_every_page_string_is_translated_to_chinese() -> None:
    catalogue = _catalogue()
    missing = sorted(m for m in _source_messages() if not catalogue.get(m))
    assert not missing, f"{len(missing)} strings lack a zh_Hans translation: {missing[:20]}"


def test_translations_keep_their_placeholders() -> None:
    broken = {
        source: target
        for source, target in _catalogue().items()
        if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(target))
    }
    assert not broken


def test_the_extraction_sees_the_templates_and_the_python_markers() -> None:
    messages = _source_messages()
    assert "Sign in" in messages  # account/login.html
    assert "Patients" in messages  # N_() in pages/navigation.py
