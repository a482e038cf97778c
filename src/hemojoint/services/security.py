"""Secrets: argon2id password hashes and random tokens stored only as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults are Argon2id with RFC 9106's low-memory profile.
_HASHER = PasswordHasher()

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A URL-safe random secret with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What we store instead of the token: a leaked table grants nothing.

    SHA-256 suffices (no salt, no stretching) because tokens are random, not chosen by people.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@cache
def dummy_hash() -> str:
    """A real hash to verify against when the username does not exist, so that a wrong
    username takes as long as a wrong password and does not reveal which accounts exist.
    Made on first use, not at import: every CLI command would pay for it otherwise."""
    return _HASHER.hash(new_token())
