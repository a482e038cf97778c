"""Check-in photos and videos on disk, outside the database.

A file arrives in two steps so that the disk and the database never disagree:

1. ``stage`` copies the upload into ``<media_dir>/.incoming/`` while counting,
   hashing (SHA-256) and keeping the first bytes for the type check; over the limit
   it stops and leaves nothing behind.
2. After the row is flushed, ``publish`` renames the staged file to its storage key.
   Until the transaction commits the file is provisional: if the transaction ends
   without a commit (a failed insert, a failed commit, any error), it is deleted.

Storage keys are random (``ab/ab12...``): they reveal nothing about the child, and
the uploader's file name is kept only as metadata.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

CHUNK_BYTES = 1024 * 1024
HEAD_BYTES = 64  # enough for every signature checked in ``sniff``
INCOMING = ".incoming"
_PENDING = "hemojoint.pending_media"


class SizeLimitExceeded(Exception):
    """The upload passed ``limit_bytes``; ``received_bytes`` is how far it got."""

    def __init__(self, received_bytes: int, limit_bytes: int) -> None:
        self.received_bytes = received_bytes
        self.limit_bytes = limit_bytes
        super().__init__(f"{received_bytes} bytes received; the limit is {limit_bytes}")


@dataclass(frozen=True)
class StagedMedia:
    key: str
    temp_path: Path
    size_bytes: int
    sha256: str
    head: bytes


def new_key() -> str:
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def stage(self, source: BinaryIO, *, limit_bytes: int) -> StagedMedia:
        incoming = self.root / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        key = new_key()
        temp_path = incoming / f"{key.replace('/', '_')}.part"
        try:
            size, digest, head = _copy(source, temp_path, limit_bytes)
        except BaseException:
            temp_path.unlink(missing_ok=True)
            raise
        return StagedMedia(key, temp_path, size, digest, head)

    def publish(self, session: Session, staged: StagedMedia) -> None:
        """Move the staged file to its key; it is deleted again unless ``session`` commits."""
        final = self.path_of(staged.key)
        final.parent.mkdir(parents=True, exist_ok=True)
        _delete_unless_committed(session, final)
        os.replace(staged.temp_path, final)

    def discard(self, staged: StagedMedia, *, published: bool) -> None:
        staged.temp_path.unlink(missing_ok=True)
        if published:
            self.path_of(staged.key).unlink(missing_ok=True)

    def path_of(self, key: str) -> Path:
        """The file of ``key``, refusing any key that would lead outside the media folder."""
        root = self.root.resolve()
        path = (root / key).resolve()
        if not path.is_relative_to(root) or path == root:
            raise ValueError(f"storage key {key!r} is outside the media folder")
        return path

    def files(self) -> Iterable[Path]:
        """Every stored or staged file (for checks and housekeeping)."""
        return (path for path in self.root.rglob("*") if path.is_file())


def _copy(source: BinaryIO, target: Path, limit_bytes: int) -> tuple[int, str, bytes]:
    digest = hashlib.sha256()
    size = 0
    head = b""
    with target.open("xb") as out:
        while chunk := source.read(CHUNK_BYTES):
            size += len(chunk)
            if size > limit_bytes:
                raise SizeLimitExceeded(size, limit_bytes)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest(), head


# --- provisional files: kept on commit, deleted otherwise -----------------------------------


def _delete_unless_committed(session: Session, path: Path) -> None:
    session.connection()  # begins the transaction if need be, so that its end is seen
    session.info.setdefault(_PENDING, []).append(path)
    if not event.contains(session, "after_commit", _keep_pending):
        event.listen(session, "after_commit", _keep_pending)
        event.listen(session, "after_transaction_end", _drop_pending)


def _keep_pending(session: Session) -> None:
    # A savepoint's release also fires after_commit; only the outermost commit makes it final.
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)


def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        for path in session.info.pop(_PENDING, []):
            path.unlink(missing_ok=True)


# --- what the bytes say the file is ------------------------------------------------------------

# ISO base media files (MP4 and QuickTime) start with a box: 4 bytes of size, then its type.
_QUICKTIME_FIRST_BOXES = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def sniff(head: bytes) -> frozenset[str]:
    """The content types the first bytes of a file are consistent with (empty: none we take).

    >>> sorted(sniff(bytes.fromhex("89504e470d0a1a0a")))
    ['image/png']
    >>> sorted(sniff(b"\\x00\\x00\\x00\\x18ftypmp42"))
    ['video/mp4', 'video/quicktime']
    """
    if head.startswith(b"\xff\xd8\xff"):
        return frozenset({"image/jpeg"})
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return frozenset({"image/png"})
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return frozenset({"image/webp"})
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return frozenset({"video/webm"})
    if head[4:8] == b"ftyp":
        # The brand says which, but phones mix them up; both players read either.
        return frozenset({"video/mp4", "video/quicktime"})
    if head[4:8] in _QUICKTIME_FIRST_BOXES:
        return frozenset({"video/quicktime"})
    return frozenset()
