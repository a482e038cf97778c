"""Registry commands: database, centres and users, the web server, backups and CSV imports.

Each command reads its settings from the environment (``HEMOJOINT_*``) and runs
in one transaction, committed at the end; on an error nothing is written.
"""

from __future__ import annotations

from typing import Any

from hemojoint.cli import accounts, database, imports, serve


def register(subparsers: Any) -> None:
    for module in (database, accounts, serve, imports):
        module.register(subparsers)
