"""``hemojoint instruments`` and ``hemojoint score CODE FILE``."""

from __future__ import annotations

import argparse
from typing import Any

from hemojoint.catalog import instrument_catalog
from hemojoint.cli.io import read_json
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.settings import get_settings


def register(subparsers: Any) -> None:
    listing = subparsers.add_parser("instruments", help="list every instrument with its status")
    listing.set_defaults(handler=list_instruments)
    scoring = subparsers.add_parser("score", help="score one instrument from a JSON file")
    scoring.add_argument("code", help="instrument code, e.g. hjhs, head_us, choklat")
    scoring.add_argument("file", help="JSON input file, or - for standard input")
    scoring.set_defaults(handler=score_file)


def list_instruments(args: argparse.Namespace) -> list[dict[str, Any]]:
    catalog = instrument_catalog(get_settings().definitions_dir)
    return [scorer.info.as_dict() for scorer in catalog.values()]


def score_file(args: argparse.Namespace) -> dict[str, Any]:
    catalog = instrument_catalog(get_settings().definitions_dir)
    if args.code not in catalog:
        raise InvalidInputError.single(FieldProblem.not_one_of("instrument", args.code, catalog))
    return catalog[args.code].score_mapping(read_json(args.file)).as_dict()
