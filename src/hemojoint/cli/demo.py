"""``hemojoint demo``: a fresh SQLite database with the synthetic cohort, then the server.

The data is synthetic (a made-up cohort shaped like the seed study) and labelled so
everywhere; the printed passwords are for this local demo only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

from hemojoint.cli.transaction import transaction
from hemojoint.persistence.migrate import upgrade
from hemojoint.services.demo_cohort import (
    DEFAULT_SEED,
    DemoCohort,
    is_demo_database,
    seed_demo,
)
from hemojoint.services.media_store import MediaStore
from hemojoint.services.operations import OperationRefusedError
from hemojoint.settings import Mode, Settings, get_settings

DEFAULT_DB = Path("hemojoint-demo.db")
HOST = "127.0.0.1"  # the demo's passwords are printed: never listen beyond this machine


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="seed a fresh SQLite database with a synthetic cohort and run the server",
        description="Creates (or replaces a previous demo's) SQLite database, fills it with "
        "59 synthetic children and one user per role, prints the logins and serves on "
        f"{HOST}. All data is synthetic.",
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="the SQLite file to create")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the cohort's seed")
    parser.add_argument(
        "--seed-only", action="store_true", help="fill the database, print the logins and exit"
    )
    parser.set_defaults(handler=demo)


def demo(args: argparse.Namespace) -> Any:
    started = time.perf_counter()
    database, media = args.db.resolve(), media_dir_for(args.db.resolve())
    if not database.parent.is_dir():
        raise OperationRefusedError(f"--db: the folder {database.parent} does not exist")
    url = f"sqlite:///{database}"
    _clear_previous_demo(database, media)
    settings = get_settings(mode=Mode.DEMO, database_url=url, media_dir=media, cookie_secure=False)
    upgrade(url)
    with transaction(settings) as session:
        cohort = seed_demo(
            session, media_store=MediaStore(media), today=date.today(), seed=args.seed
        )
    seconds = round(time.perf_counter() - started, 2)
    summary = {
        **cohort.as_dict(),
        "database": str(database),
        "media_dir": str(media),
        "seed": args.seed,
        "seconds": seconds,
    }
    if args.seed_only:
        return summary
    print(_banner(cohort, args.port, seconds), flush=True)
    _serve(settings, args.port)
    return "hemojoint: the demo server has stopped"


def media_dir_for(database: Path) -> Path:
    return database.with_name(f"{database.stem}-media")


def _clear_previous_demo(database: Path, media: Path) -> None:
    """Replace a previous demo's database; refuse to touch any other file."""
    if not database.exists():
        return
    settings = get_settings(database_url=f"sqlite:///{database}")
    try:
        with transaction(settings, commit=False) as session:
            replaceable = is_demo_database(session)
    except (OperationRefusedError, DBAPIError):  # not a database, or not hemojoint's
        replaceable = False
    if not replaceable:
        raise OperationRefusedError(
            f"{database} exists and is not a hemojoint demo database: "
            "choose another --db (the demo never overwrites other data)"
        )
    database.unlink()
    shutil.rmtree(media, ignore_errors=True)


def _banner(cohort: DemoCohort, port: int, seconds: float) -> str:
    lines = [
        f"hemojoint demo: {len(cohort.patient_ids)} SYNTHETIC children seeded in {seconds} s",
        f"Open http://{HOST}:{port}/ in a browser (the API is under /api/v1). "
        "Press Ctrl+C to stop.",
        "Demo logins (synthetic data, local use only):",
    ]
    for login in cohort.logins:
        note = f"  ({login.note})" if login.note else ""
        lines.append(f"  {login.role.value:<16} {login.username:<24} {login.password}{note}")
    return "\n".join(lines)


def _serve(settings: Settings, port: int) -> None:
    # Imported here: the web stack is large and --seed-only does not need it.
    import uvicorn

    from hemojoint.web.app import create_app

    try:
        uvicorn.run(create_app(settings), host=HOST, port=port)
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        print("stopped", file=sys.stderr)
