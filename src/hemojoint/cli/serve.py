"""``hemojoint serve``: the web application under uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
from typing import Any

from hemojoint.services.operations import OperationRefusedError
from hemojoint.settings import Settings, get_settings

LOCAL_NAMES = frozenset({"localhost"})


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the web application (HEMOJOINT_DATABASE_URL must be migrated first)",
        description="Listens on 127.0.0.1 by default. To listen on the network, serve behind "
        "an HTTPS reverse proxy with secure cookies (HEMOJOINT_COOKIE_SECURE, on by default).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> str:
    settings = get_settings()
    refuse_exposure_without_secure_cookies(args.host, settings)
    # Imported here: the web stack is large and no other command needs it.
    import uvicorn

    from hemojoint.web.app import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port)
    return "hemojoint: the server has stopped"


def refuse_exposure_without_secure_cookies(host: str, settings: Settings) -> None:
    """Listening beyond this machine with non-Secure cookies would leak sessions; refuse it."""
    if settings.cookie_secure or _is_loopback(host):
        return
    raise OperationRefusedError(
        f"refusing --host {host} while HEMOJOINT_COOKIE_SECURE is false: session cookies "
        "would cross the network unencrypted, and anyone who can read the traffic could take "
        "over a signed-in session; keep cookies secure and serve behind HTTPS, or listen on "
        "127.0.0.1"
    )


def _is_loopback(host: str) -> bool:
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to a public address
