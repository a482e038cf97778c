"""Tele-rehabilitation through the API: check-ins (upload, media, reply), the twelve weekly
online sessions and the message thread.

Issue 4: "Photo and video check-ins: uploads validated by type and size, stored outside the
database, served only to people allowed to see that child; therapists review and answer.
Twelve scheduled weekly online sessions, and a message thread for unscheduled questions."
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hemojoint.domain.access import Role
from hemojoint.persistence.models import AuditEntryRecord, CheckInRecord
from hemojoint.services import check_ins, media_store
from hemojoint.services.media_store import MediaStore
from hemojoint.settings import Settings
from tests.support.builders import create_centre, create_patient, create_user, link_family
from tests.support.permission_world import World, patient_in_scope
from tests.support.probes_tele import enrolment_of
from tests.support.programme_builders import create_check_in, create_enrolment


def tiny_png() -> bytes:
    """A real 1x1 red PNG, built from the PNG specification (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte 0, then one red pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# File signatures from each format's specification: JPEG SOI + JFIF APP0, WebP RIFF/WEBP,
# ISO BMFF ``ftyp`` box (MP4 brand mp42, QuickTime brand "qt  "), EBML header with DocType webm.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08moov"
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00\x00\x00\x08moov"
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 16


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # The web conftest's settings, with check-in media in this test's own folder.
    return Settings(cookie_secure=False, database_url="sqlite://", media_dir=tmp_path / "media")


@pytest.fixture
def centre(db):
    return create_centre(db)


@pytest.fixture
def patient(db, centre):
    return create_patient(db, centre)


@pytest.fixture
def therapist(db, centre):
    return create_user(db, role=Role.THERAPIST, centre=centre)


@pytest.fixture
def parent(db, centre, patient):
    user = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, user, patient)
    return user


@pytest.fixture
def enrolment(db, patient, therapist):
    # Monday 2026-01-05 with Mon/Wed/Fri infusions: programme week 1 is 5 to 11 January.
    return create_enrolment(db, patient, therapist, start_date=date(2026, 1, 5))


def upload(client, enrolment_id: int, content: bytes, content_type: str, name: str = "a.png"):
    files = {"file": (name, content, content_type)}
    return client.post(
        f"/api/v1/enrolments/{enrolment_id}/check-ins", files=files, data={"note": "week 1"}
    )


def stored_files(settings: Settings) -> list[Path]:
    return sorted(MediaStore(settings.media_dir).files()) if settings.media_dir.exists() else []


def count_check_ins(db) -> int:
    return db.scalar(select(func.count()).select_from(CheckInRecord))


# --- upload ------------------------------------------------------------------------------------


def test_caregiver_uploads_a_photo_stored_outside_the_database(
    client_as, db, settings, enrolment, parent
) -> None:
    png = tiny_png()
    response = upload(client_as(parent), enrolment.id, png, "image/png", "../../etc/IMG 1.png")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["media_kind"] == "photo"
    assert body["content_type"] == "image/png"
    assert body["size_bytes"] == len(png)
    assert body["sha256"] == hashlib.sha256(png).hexdigest()
    assert body["original_filename"] == "IMG 1.png"  # folders dropped: metadata only
    assert body["note"] == "week 1"
    assert body["status"] == "awaiting_reply"
    assert body["uploaded_by_id"] == parent.id
    assert "storage_key" not in body
    files = stored_files(settings)
    assert [path.read_bytes() for path in files] == [png]
    assert "IMG" not in str(files[0])  # the key is random, not the sender's name
    record = db.get(CheckInRecord, body["id"])
    assert MediaStore(settings.media_dir).path_of(record.storage_key) == files[0].resolve()


@pytest.mark.parametrize(
    ("content", "content_type", "kind"),
    [
        (JPEG, "image/jpeg", "photo"),
        (WEBP, "image/webp", "photo"),
        (MP4, "video/mp4", "video"),
        (MOV, "video/quicktime", "video"),
        (WEBM, "video/webm", "video"),
    ],
    ids=["jpeg", "webp", "mp4", "quicktime", "webm"],
)
def test_every_accepted_type_is_taken(
    client_as, enrolment, parent, content: bytes, content_type: str, kind: str
) -> None:
    response = upload(client_as(parent), enrolment.id, content, content_type, "clip")
    assert response.status_code == 201, response.text
    assert (response.json()["media_kind"], response.json()["content_type"]) == (kind, content_type)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (tiny_png(), "image/jpeg"),  # a PNG renamed .jpg
        (b"<script>alert(1)</script>" + b" " * 40, "image/png"),
        (JPEG, "video/mp4"),
    ],
    ids=["png-as-jpeg", "script-as-png", "jpeg-as-mp4"],
)
def test_contents_that_do_not_match_the_declared_type_are_422(
    client_as, db, settings, enrolment, parent, content: bytes, content_type: str
) -> None:
    response = upload(client_as(parent), enrolment.id, content, content_type)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert body["fields"][0]["field"] == "file"
    assert body["fields"][0]["value"] == content_type
    assert "contents" in body["detail"]
    assert stored_files(settings) == []
    assert count_check_ins(db) == 0


def test_a_type_we_do_not_take_is_422_naming_the_allowed_ones(client_as, enrolment, parent) -> None:
    response = upload(client_as(parent), enrolment.id, b"%PDF-1.7\n", "application/pdf")
    assert response.status_code == 422
    field = response.json()["fields"][0]
    assert field["field"] == "file.content_type"
    assert field["value"] == "application/pdf"
    assert "image/jpeg" in field["allowed"]
    assert "video/quicktime" in field["allowed"]


def test_too_large_is_413_naming_the_field_the_size_and_the_limit(
    client_as, db, settings, enrolment, parent, monkeypatch
) -> None:
    monkeypatch.setattr(check_ins, "PHOTO_MAX_BYTES", 100)
    png = tiny_png() + b"\x00" * 200
    response = upload(client_as(parent), enrolment.id, png, "image/png")
    assert response.status_code == 413
    body = response.json()
    assert body["error"] == "too_large"
    assert body["fields"][0]["field"] == "file"
    assert body["fields"][0]["value"] == len(png)
    assert body["detail"].startswith(f"file: {len(png)} bytes is over the limit of at most 100")
    assert "for a photo" in body["detail"]
    assert stored_files(settings) == []
    assert count_check_ins(db) == 0


def test_the_limit_is_kept_while_copying_when_the_size_is_not_declared(tmp_path) -> None:
    store = MediaStore(tmp_path)
    with pytest.raises(media_store.SizeLimitExceeded, match="limit is 10"):
        store.stage(_Stream(b"x" * 25), limit_bytes=10)
    assert list(store.files()) == []


class _Stream:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def read(self, size: int) -> bytes:
        chunk, self.content = self.content[:size], self.content[size:]
        return chunk


def test_only_the_family_uploads_staff_get_403(client_as, db, centre, enrolment) -> None:
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    response = upload(client_as(nurse), enrolment.id, tiny_png(), "image/png")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_another_family_and_another_centre_get_404_on_upload_and_media(
    client_as, db, settings, centre, enrolment, parent
) -> None:
    created = upload(client_as(parent), enrolment.id, tiny_png(), "image/png").json()
    other_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, other_parent, create_patient(db, centre))
    outsider = create_user(db, role=Role.THERAPIST, centre=create_centre(db))
    for user in (other_parent, outsider):
        client = client_as(user)
        refused = upload(client, enrolment.id, tiny_png(), "image/png")
        assert refused.status_code == 404
        assert refused.json() == {
            "error": "not_found",
            "detail": f"enrolment {enrolment.id} was not found",  # as for a missing one
            "fields": [],
        }
        media = client.get(f"/api/v1/check-ins/{created['id']}/media")
        assert media.status_code == 404
        assert media.json() == {
            "error": "not_found",
            "detail": f"check_in {created['id']} was not found",
            "fields": [],
        }
    assert len(stored_files(settings)) == 1


def test_media_is_streamed_inline_with_its_type_and_nosniff(
    client_as, centre, db, enrolment, parent, therapist
) -> None:
    png = tiny_png()
    created = upload(client_as(parent), enrolment.id, png, "image/png", "knee.png").json()
    for user in (parent, therapist, create_user(db, role=Role.ADMIN, centre=centre)):
        response = client_as(user).get(created["media_url"])
        assert response.status_code == 200
        assert response.content == png
        assert response.headers["content-type"] == "image/png"
        assert response.headers["content-disposition"] == 'inline; filename="knee.png"'
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "private, no-store"
    # Every read of patient data leaves an audit entry: here one per download.
    entries = db.scalars(
        select(AuditEntryRecord.user_id).where(AuditEntryRecord.entity == "check_in_media")
    ).all()
    assert len(entries) == 3
    assert parent.id in entries


def test_media_whose_file_is_gone_is_404_not_500(client_as, db, enrolment, parent) -> None:
    check_in = create_check_in(db, enrolment, parent)  # a row whose file was never written
    response = client_as(parent).get(f"/api/v1/check-ins/{check_in.id}/media")
    assert response.status_code == 404
    assert response.json()["detail"] == f"check-in media {check_in.id} was not found"


# --- the database and the disk agree -----------------------------------------------------------


def test_a_failed_insert_leaves_no_file_and_keeps_the_other_files(
    client_as, db, settings, enrolment, parent, monkeypatch
) -> None:
    existing = create_check_in(db, enrolment, parent, storage_key="aa/" + "a" * 32)
    existing_file = MediaStore(settings.media_dir).path_of(existing.storage_key)
    existing_file.parent.mkdir(parents=True)
    existing_file.write_bytes(b"earlier upload")
    # The next upload draws the same key: the unique storage_key makes the INSERT fail.
    monkeypatch.setattr(media_store, "new_key", lambda: existing.storage_key)
    response = upload(client_as(parent), enrolment.id, tiny_png(), "image/png")
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert stored_files(settings) == [existing_file]
    assert existing_file.read_bytes() == b"earlier upload"
    assert count_check_ins(db) == 1


def test_a_failure_after_the_file_is_in_place_removes_it(
    client_as, db, settings, enrolment, parent, monkeypatch
) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise IntegrityError("INSERT INTO audit_log", {}, Exception("simulated"))

    monkeypatch.setattr(check_ins.audit, "record", fail)
    response = upload(client_as(parent), enrolment.id, tiny_png(), "image/png")
    assert response.status_code == 409
    assert stored_files(settings) == []
    assert count_check_ins(db) == 0


def test_a_published_file_lives_only_if_the_transaction_commits(sessions, tmp_path) -> None:
    store = MediaStore(tmp_path)
    for outcome in ("rollback", "commit"):
        with sessions() as session:
            staged = store.stage(_Stream(tiny_png()), limit_bytes=1000)
            store.publish(session, staged)
            assert store.path_of(staged.key).is_file()
            getattr(session, outcome)()
        assert store.path_of(staged.key).is_file() is (outcome == "commit")


def test_a_failed_file_write_leaves_no_row(client_as, db, settings, enrolment, parent, monkeypatch):
    def broken_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(media_store.os, "replace", broken_disk)
    with pytest.raises(OSError, match="No space left"):
        upload(client_as(parent), enrolment.id, tiny_png(), "image/png")
    assert count_check_ins(db) == 0
    assert stored_files(settings) == []


# --- the upload's permission cells (the matrix test sends JSON, so it probes archive) ----------

FAMILY = {Role.CAREGIVER, Role.PATIENT}


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_upload_cells_by_role_and_scope(client_as, db, role: Role) -> None:
    world = World(db, create_centre(db), create_centre(db), None)  # type: ignore[arg-type]
    world.actor = create_user(db, role=role, centre=world.home)
    client = client_as(world.actor)
    actual = {}
    for scope in ("own", "other_centre", "other_family", "unlinked"):
        enrolment = enrolment_of(world, patient_in_scope(world, scope))
        actual[scope] = upload(client, enrolment.id, tiny_png(), "image/png").status_code
    # docs/permissions.md: check_in is written by caregivers and patients only; scope first.
    own = 201 if role in FAMILY else 403
    unlinked = 404 if role in FAMILY else 403
    assert actual == {
        "own": own,
        "other_centre": 404,
        "other_family": unlinked,
        "unlinked": unlinked,
    }


# --- review and reply --------------------------------------------------------------------------


def test_therapist_answers_and_the_list_shows_awaiting_and_answered(
    client_as, enrolment, parent, therapist
) -> None:
    family = client_as(parent)
    first = upload(family, enrolment.id, tiny_png(), "image/png").json()
    second = upload(family, enrolment.id, MP4, "video/mp4", "squat.mp4").json()
    staff = client_as(therapist)
    url = f"/api/v1/enrolments/{enrolment.id}/check-ins"
    assert [item["id"] for item in staff.get(url).json()] == [first["id"], second["id"]]
    answered = staff.post(
        f"/api/v1/check-ins/{first['id']}/reply",
        json={"version": 1, "text": "Good alignment; slow the descent."},
    )
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert (body["status"], body["reply"], body["replied_by_id"]) == (
        "answered",
        "Good alignment; slow the descent.",
        therapist.id,
    )
    assert body["version"] == 2
    awaiting = staff.get(url, params={"status": "awaiting_reply"}).json()
    assert [item["id"] for item in awaiting] == [second["id"]]
    done = client_as(parent).get(url, params={"status": "answered"}).json()
    assert [item["reply"] for item in done] == ["Good alignment; slow the descent."]


def test_stale_reply_is_409_and_family_or_nurse_may_not_reply(
    client_as, db, centre, enrolment, parent, therapist
) -> None:
    check_in = create_check_in(db, enrolment, parent)
    url = f"/api/v1/check-ins/{check_in.id}/reply"
    assert client_as(therapist).post(url, json={"version": 1, "text": "First"}).status_code == 200
    stale = client_as(therapist).post(url, json={"version": 1, "text": "Second"})
    assert stale.status_code == 409
    assert stale.json()["current"]["reply"] == "First"
    nurse = create_user(db, role=Role.NURSE, centre=centre)
    for user in (parent, nurse):
        refused = client_as(user).post(url, json={"version": 2, "text": "Me too"})
        assert refused.status_code == 403
        assert refused.json()["error"] == "forbidden"


def test_empty_reply_is_422(client_as, db, enrolment, parent, therapist) -> None:
    check_in = create_check_in(db, enrolment, parent)
    response = client_as(therapist).post(
        f"/api/v1/check-ins/{check_in.id}/reply", json={"version": 1, "text": ""}
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "text"


def test_family_withdraws_an_upload_and_restores_it(
    client_as, db, settings, enrolment, parent, therapist
) -> None:
    created = upload(client_as(parent), enrolment.id, tiny_png(), "image/png").json()
    url = f"/api/v1/check-ins/{created['id']}"
    archived = client_as(parent).post(f"{url}/archive", json={"version": 1, "reason": "wrong"})
    assert archived.status_code == 200
    listing = f"/api/v1/enrolments/{enrolment.id}/check-ins"
    assert client_as(therapist).get(listing).json() == []
    assert [
        c["id"] for c in client_as(therapist).get(listing, params={"archived": True}).json()
    ] == [created["id"]]
    refused = client_as(therapist).post(f"{url}/reply", json={"version": 2, "text": "?"})
    assert refused.status_code == 409
    assert client_as(parent).post(f"{url}/restore", json={"version": 2}).status_code == 200
    assert len(stored_files(settings)) == 1  # never deleted


# --- online sessions ---------------------------------------------------------------------------


def test_schedule_creates_twelve_weekly_sessions_and_is_idempotent(
    client_as, enrolment, therapist
) -> None:
    client = client_as(therapist)
    url = f"/api/v1/enrolments/{enrolment.id}/online-sessions/schedule"
    first = client.post(url)
    assert first.status_code == 200, first.text
    sessions = first.json()
    # Issue 4: twelve weekly online sessions. Programme week 1 starts on the first infusion
    # day on or after 2026-01-05 (a Monday): day 4 of week 1 is Thursday 2026-01-08.
    assert [item["week"] for item in sessions] == list(range(1, 13))
    times = [datetime.fromisoformat(item["scheduled_at"]) for item in sessions]
    assert times[0] == datetime(2026, 1, 8, 10, tzinfo=UTC)
    assert all(later - earlier == timedelta(days=7) for earlier, later in pairwise(times))
    again = client.post(url, json={"first_session_at": "2026-01-06T18:00:00+08:00"})
    assert [item["id"] for item in again.json()] == [item["id"] for item in sessions]
    kept = datetime.fromisoformat(again.json()[0]["scheduled_at"])
    assert kept == times[0]  # weeks already scheduled are left as they were


def test_schedule_at_a_chosen_time_must_fall_in_week_one(client_as, enrolment, therapist) -> None:
    client = client_as(therapist)
    url = f"/api/v1/enrolments/{enrolment.id}/online-sessions/schedule"
    outside = client.post(url, json={"first_session_at": "2026-01-12T18:00:00+08:00"})
    assert outside.status_code == 422
    field = outside.json()["fields"][0]
    assert field["field"] == "first_session_at"
    assert field["allowed"] == "a time in programme week 1 (2026-01-05 to 2026-01-11)"
    chosen = client.post(url, json={"first_session_at": "2026-01-06T18:00:00+08:00"}).json()
    # 18:00 at +08:00 on 6 January, then weekly: week 12 is 11 weeks on, 24 March.
    assert datetime.fromisoformat(chosen[11]["scheduled_at"]) == datetime(
        2026, 3, 24, 10, tzinfo=UTC
    )


def test_therapist_records_a_held_session_family_reads_it(
    client_as, enrolment, parent, therapist
) -> None:
    sessions = (
        client_as(therapist)
        .post(f"/api/v1/enrolments/{enrolment.id}/online-sessions/schedule")
        .json()
    )
    url = f"/api/v1/online-sessions/{sessions[0]['id']}"
    held = client_as(therapist).patch(
        url,
        json={"version": 1, "held_at": "2026-01-08T10:05:00Z", "notes": "Squats checked"},
    )
    assert held.status_code == 200, held.text
    assert (held.json()["therapist_id"], held.json()["notes"]) == (therapist.id, "Squats checked")
    assert client_as(parent).get(url).json()["held_at"] == "2026-01-08T10:05:00Z"
    refused = client_as(parent).patch(url, json={"version": 2, "notes": "thanks"})
    assert refused.status_code == 403
    future = client_as(therapist).patch(url, json={"version": 2, "held_at": "2999-01-01T00:00:00Z"})
    assert future.status_code == 422
    assert future.json()["fields"][0]["field"] == "held_at"
    listed = client_as(parent).get(f"/api/v1/enrolments/{enrolment.id}/online-sessions").json()
    assert len(listed) == 12


# --- the message thread ------------------------------------------------------------------------


def test_thread_unread_counts_and_mark_read(client_as, db, centre, enrolment, parent, therapist):
    thread = f"/api/v1/enrolments/{enrolment.id}/messages"
    question = client_as(parent).post(thread, json={"body": "Is swimming fine this week?"})
    assert question.status_code == 201, question.text
    answer = client_as(therapist).post(thread, json={"body": "Yes, gently."})
    unread = f"{thread}/unread"
    assert client_as(parent).get(unread).json() == {"unread": 1}
    assert client_as(therapist).get(unread).json() == {"unread": 1}
    read = client_as(therapist).post(f"/api/v1/messages/{question.json()['id']}/read")
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert client_as(therapist).get(unread).json() == {"unread": 0}
    own = client_as(parent).post(f"/api/v1/messages/{question.json()['id']}/read")
    assert own.json()["read_at"] == read.json()["read_at"]  # unchanged
    page = client_as(parent).get(thread).json()
    assert page["total"] == 2
    assert [(m["author_id"], m["body"]) for m in page["items"]] == [
        (parent.id, "Is swimming fine this week?"),
        (therapist.id, "Yes, gently."),
    ]
    assert answer.json()["enrolment_id"] == enrolment.id


def test_thread_is_closed_to_other_families_and_centres(client_as, db, centre, enrolment, parent):
    thread = f"/api/v1/enrolments/{enrolment.id}/messages"
    message = client_as(parent).post(thread, json={"body": "Question"}).json()
    other_parent = create_user(db, role=Role.CAREGIVER, centre=centre)
    link_family(db, other_parent, create_patient(db, centre))
    outsider = create_user(db, role=Role.NURSE, centre=create_centre(db))
    for user in (other_parent, outsider):
        client = client_as(user)
        assert client.get(thread).status_code == 404
        assert client.post(thread, json={"body": "Hello"}).status_code == 404
        assert client.get(f"{thread}/unread").status_code == 404
        assert client.post(f"/api/v1/messages/{message['id']}/read").status_code == 404
    admin = create_user(db, role=Role.ADMIN, centre=centre)
    assert client_as(admin).get(thread).status_code == 200
    assert client_as(admin).post(f"/api/v1/messages/{message['id']}/read").status_code == 403


def test_empty_message_is_422(client_as, enrolment, parent) -> None:
    response = client_as(parent).post(
        f"/api/v1/enrolments/{enrolment.id}/messages", json={"body": "  "}
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "body"
