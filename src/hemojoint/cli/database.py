"""``hemojoint db upgrade``, ``hemojoint backup PATH`` and ``hemojoint restore PATH``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hemojoint.cli.transaction import engine_for
from hemojoint.persistence.migrate import upgrade
from hemojoint.persistence.repositories.operations import current_revision
from hemojoint.services import backup
from hemojoint.settings import get_settings


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    up = db_commands.add_parser("upgrade", help="migrate the database to the newest schema")
    up.add_argument("--revision", default="head", help="migrate to this revision (default: head)")
    up.set_defaults(handler=upgrade_database)

    dump = subparsers.add_parser(
        "backup",
        help="write a consistent backup (gzip'd JSON lines); safe while the server runs",
    )
    dump.add_argument("path", help="file to write, e.g. hemojoint-2025-01-31.jsonl.gz")
    dump.set_defaults(handler=backup_database)

    load = subparsers.add_parser(
        "restore", help="load a backup into an empty database migrated to the backup's revision"
    )
    load.add_argument("path", help="a file written by `hemojoint backup`")
    load.set_defaults(handler=restore_database)


def upgrade_database(args: argparse.Namespace) -> dict[str, Any]:
    settings = get_settings()
    upgrade(settings.database_url, args.revision)
    with engine_for(settings) as engine, engine.connect() as connection:
        return {"database": engine.url.render_as_string(), "revision": current_revision(connection)}


def backup_database(args: argparse.Namespace) -> dict[str, Any]:
    with engine_for(get_settings()) as engine:
        summary = backup.backup(engine, Path(args.path), now=datetime.now(UTC))
    return summary.as_dict()


def restore_database(args: argparse.Namespace) -> dict[str, Any]:
    with engine_for(get_settings()) as engine:
        return backup.restore(engine, Path(args.path))
