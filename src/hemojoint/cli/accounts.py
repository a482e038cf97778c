"""``hemojoint centre create`` and ``hemojoint user create``: setting up a registry.

Passwords never come from the command line (it is visible in ``ps`` and shell
history): they are read from standard input with ``--password-stdin`` or typed
twice at a prompt that does not echo.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from hemojoint.cli.transaction import transaction
from hemojoint.domain.access import Role
from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.services import operations
from hemojoint.settings import get_settings


def register(subparsers: Any) -> None:
    centre = subparsers.add_parser("centre", help="treatment centres")
    centre_commands = centre.add_subparsers(dest="centre_command", required=True)
    create_centre = centre_commands.add_parser("create", help="add a treatment centre")
    create_centre.add_argument("--code", required=True, help="short unique code, e.g. HTC1")
    create_centre.add_argument("--name", required=True, help="the centre's name")
    create_centre.add_argument(
        "--contact-line",
        help="the number families call, printed on home plans and shown with bleed advice",
    )
    create_centre.set_defaults(handler=centre_create)

    user = subparsers.add_parser("user", help="people who sign in")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    # No abbreviations: "--password" must not quietly mean "--password-stdin".
    create_user = user_commands.add_parser(
        "create", help="add a user to a centre", allow_abbrev=False
    )
    create_user.add_argument("--username", required=True)
    create_user.add_argument("--role", required=True, choices=[role.value for role in Role])
    create_user.add_argument("--centre", required=True, metavar="CODE", help="the centre's code")
    create_user.add_argument("--display-name", required=True, help="the name other users see")
    create_user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )
    create_user.set_defaults(handler=user_create)


def centre_create(args: argparse.Namespace) -> dict[str, Any]:
    with transaction(get_settings()) as session:
        centre = operations.create_centre(
            session, code=args.code, name=args.name, contact_line=args.contact_line
        )
        return {
            "id": centre.id,
            "code": centre.code,
            "name": centre.name,
            "contact_line": centre.contact_line,
        }


def user_create(args: argparse.Namespace) -> dict[str, Any]:
    password = read_password(from_stdin=args.password_stdin)
    with transaction(get_settings()) as session:
        user = operations.create_user(
            session,
            username=args.username,
            display_name=args.display_name,
            role=Role(args.role),
            centre_code=args.centre,
            password=password,
        )
        return {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role.value,
            "centre": args.centre,
        }


def read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        # getpass would fall back to reading stdin with a warning: say what to do instead.
        raise _password_error("no terminal to prompt on; pipe the password with --password-stdin")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != password:
        raise _password_error("the two passwords differ")
    return password


def _password_error(why: str) -> InvalidInputError:
    # The value is never echoed: it is a password.
    return InvalidInputError.single(
        FieldProblem("password", None, "a password", f"password: {why}")
    )
