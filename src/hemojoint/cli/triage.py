"""``hemojoint triage FILE``: urgency, reasons and advice for a structured bleed report."""

from __future__ import annotations

import argparse
from typing import Any

from hemojoint.cli.io import read_json
from hemojoint.domain.triage import triage_mapping


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "triage",
        help="triage a bleed report: emergency, urgent or routine, with every reason",
        description='Input: {"site": SITE, "findings": [CODE, ...]}; SITE may be "unknown".',
    )
    parser.add_argument("file", help="JSON bleed report, or - for standard input")
    parser.set_defaults(handler=triage_file)


def triage_file(args: argparse.Namespace) -> dict[str, Any]:
    return triage_mapping(read_json(args.file)).as_dict()
