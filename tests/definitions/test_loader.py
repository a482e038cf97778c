"""Definition files: packaged defaults, a centre's replacement, and clear errors."""

import json
from pathlib import Path

import pytest

from hemojoint.definitions import load_definition, packaged_codes
from hemojoint.domain.errors import DefinitionError
from hemojoint.domain.instruments.base import InstrumentInfo, Status


def test_every_packaged_definition_is_provisional_with_a_source() -> None:
    # REFERENCE.md: only provisional numbers live in definition files, each with provenance.
    codes = packaged_codes()
    assert codes, "no definition files packaged"
    for code in codes:
        info = InstrumentInfo.from_mapping(load_definition(code))
        assert info.code == code
        assert info.status is Status.PROVISIONAL
        assert info.source.strip()


def test_centre_copy_replaces_packaged_file(tmp_path: Path) -> None:
    code = packaged_codes()[0]
    centre_copy = load_definition(code) | {"version": "centre-2027"}
    (tmp_path / f"{code}.json").write_text(json.dumps(centre_copy), encoding="utf-8")
    assert load_definition(code, tmp_path)["version"] == "centre-2027"


def test_missing_centre_copy_falls_back_to_packaged(tmp_path: Path) -> None:
    code = packaged_codes()[0]
    assert load_definition(code, tmp_path) == load_definition(code)


def test_broken_centre_copy_is_named(tmp_path: Path) -> None:
    code = packaged_codes()[0]
    (tmp_path / f"{code}.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DefinitionError, match=rf"{code}\.json: not valid JSON"):
        load_definition(code, tmp_path)


def test_unknown_code_is_refused() -> None:
    with pytest.raises(DefinitionError, match="no definition file for 'nonesuch'"):
        load_definition("nonesuch")


def test_identity_block_must_be_complete() -> None:
    with pytest.raises(DefinitionError, match="missing name, source"):
        InstrumentInfo.from_mapping({"code": "x", "version": "1", "status": "provisional"})
