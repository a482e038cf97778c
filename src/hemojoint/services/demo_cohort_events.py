"""The demo cohort's bleeds and check-ins, recorded through the services as the API would.

Triage is computed by the domain on every bleed (REFERENCE.md section 4); check-in photos
are tiny generated PNGs (no real image), stored in the media folder by the media store.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import BleedType
from hemojoint.schemas.bleeds import BleedCreate
from hemojoint.services import bleeds, check_ins, child_records
from hemojoint.services.actor import Actor
from hemojoint.services.demo_cohort_profiles import ChildProfile
from hemojoint.services.media_store import MediaStore

PROGRAMME_DAYS = 84


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def bleed(
    session: Session,
    actor: Actor,
    patient_id: int,
    child: ChildProfile,
    day: date,
    number: int,
    rng: random.Random,
) -> None:
    joint = child.joints[number % len(child.joints)]
    data = BleedCreate(
        site=BleedSite(joint.value),
        bleed_type=BleedType.SPONTANEOUS if rng.random() < 0.6 else BleedType.TRAUMATIC,
        started_at=_at(day, rng.randint(7, 20)),
        treatment_ended_at=_at(day + timedelta(days=rng.randint(1, 3)), 12),
        findings=["joint_swelling", "joint_pain"],
    )
    child_records.create(
        session, actor, bleeds.BLEEDS, patient_id=patient_id, values=data.model_dump()
    )


def bleeds_during(
    session: Session,
    family: Actor,
    patient_id: int,
    child: ChildProfile,
    first_day: date,
    rng: random.Random,
    until: date | None = None,
) -> None:
    """Joint bleeds in the 12 weeks, and the iliopsoas bleed, reported by the family.

    ``until``: the programme is still running; bleeds from that day on have not happened.
    """
    for number in range(child.bleeds_during):
        day = first_day + timedelta(days=rng.randint(7, PROGRAMME_DAYS - 7))
        if until is None or day < until:
            bleed(session, family, patient_id, child, day, number, rng)
    if child.iliopsoas is not None:
        _iliopsoas(session, family, patient_id, first_day + timedelta(days=40), child.iliopsoas)


def _iliopsoas(session: Session, family: Actor, patient_id: int, day: date, kind: str) -> None:
    """REFERENCE.md section 4: groin pain and a flexed hip; with femoral nerve signs for one."""
    findings = ["groin_pain", "hip_held_flexed", "pain_on_hip_extension"]
    neuropathy = kind == "neuropathy"
    if neuropathy:
        findings += ["thigh_numbness", "knee_extension_weakness"]
    data = BleedCreate(
        site=BleedSite.LEFT_ILIOPSOAS,
        bleed_type=BleedType.SPONTANEOUS,
        started_at=_at(day, 18),
        treatment_ended_at=_at(day + timedelta(days=14), 10),
        findings=findings,
        hospital_days=14 if neuropathy else 9,
        femoral_neuropathy=neuropathy,
        neuropathy_recovery_date=day + timedelta(days=60) if neuropathy else None,
        notes="Synthetic demo case.",
    )
    child_records.create(
        session, family, bleeds.BLEEDS, patient_id=patient_id, values=data.model_dump()
    )


def upload_check_ins(
    session: Session, family: Actor, store: MediaStore, enrolment_id: int, count: int
) -> None:
    for number in range(1, count + 1):
        upload = check_ins.Upload(
            stream=io.BytesIO(tiny_png(number)),
            filename=f"synthetic-check-in-{number}.png",
            content_type="image/png",
        )
        check_ins.upload(
            session,
            family,
            store,
            enrolment_id=enrolment_id,
            upload=upload,
            note=f"Synthetic demo check-in {number}",
        )


def tiny_png(number: int, size: int = 8) -> bytes:
    """A small solid-colour PNG (a stand-in for a family's photo; no real image)."""
    colour = bytes(((number * 70) % 256, (120 + number * 40) % 256, 200))
    rows = b"".join(b"\x00" + colour * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
