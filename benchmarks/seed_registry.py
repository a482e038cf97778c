"""Synthetic registry data for the benchmark: fast bulk inserts, deterministic from a seed.

Every patient is ``synthetic=True`` and belongs to one benchmark centre. Each has
``years`` of history ending on ``HISTORY_END``: prophylaxis infusions on fixed
weekdays (3 a week for hemophilia A, 2 for B), a few bleeds a year each treated
with one to three infusions linked to the bleed, a yearly weight and inhibitor
test, one prophylaxis regimen and one registry consent. Rows go in through
SQLAlchemy Core ``insert()`` with lists of dicts (executemany), in chunks, in the
caller's single transaction.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

from sqlalchemy import Connection, Table, insert, select

from hemojoint.domain.access import Role
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.patients import severity_from_factor_activity
from hemojoint.persistence.models import (
    BleedRecord,
    CentreRecord,
    ConsentRecord,
    InfusionRecord,
    InhibitorResultRecord,
    PatientRecord,
    ProductRecord,
    RegimenRecord,
    UserRecord,
    WeightRecord,
)

HISTORY_END = date(2026, 1, 1)
SEEDED_AT = datetime(2026, 1, 1, tzinfo=UTC)
CHUNK_ROWS = 50_000
# Monday is 0. Hemophilia A: three infusions a week; B (longer half-life): two.
WEEKDAYS = {"A": (0, 2, 4), "B": (1, 4)}
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BLEEDS_PER_YEAR = (0, 1, 1, 2, 2, 3, 4)  # drawn per year: about 1.9 a year on average
BLEED_SITES = [site for site in BleedSite if not site.value.startswith(("head", "neck"))]
FAMILY_NAMES = ("Nowak", "Garcia", "Okafor", "Svensson", "Haddad", "Tanaka", "Moreau", "Silva")
GIVEN_NAMES = ("Adam", "Leo", "Omar", "Ivan", "Kenji", "Tomas", "Yusuf", "Mateo", "Noah")


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


@dataclass
class Seeded:
    """What was written, table by table, and how long it took."""

    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    analyze_seconds: float = 0.0
    centre_id: int = 0
    user_id: int = 0
    patient_ids: list[int] = field(default_factory=list)


class Writer:
    """Buffers rows per table and writes them with executemany in large chunks."""

    def __init__(self, connection: Connection, seeded: Seeded) -> None:
        self.connection = connection
        self.seeded = seeded
        self.buffers: dict[str, list[dict[str, Any]]] = {}

    def add(self, model: Any, rows: Iterable[dict[str, Any]]) -> None:
        name = _table(model).name
        self.buffers.setdefault(name, []).extend(rows)
        if len(self.buffers[name]) >= CHUNK_ROWS:
            self.flush(name)

    def flush(self, name: str | None = None) -> None:
        for table_name in [name] if name else list(self.buffers):
            rows = self.buffers.pop(table_name, [])
            if rows:
                table = _table_by_name(table_name)
                self.connection.execute(insert(table), rows)
                self.seeded.rows[table_name] += len(rows)


def _table_by_name(name: str) -> Table:
    models = (InfusionRecord, WeightRecord, InhibitorResultRecord, RegimenRecord, ConsentRecord)
    return next(_table(model) for model in models if _table(model).name == name)


def _stamps() -> dict[str, Any]:
    return {"version": 1, "created_at": SEEDED_AT, "updated_at": SEEDED_AT}


def seed(
    connection: Connection,
    *,
    patients: int,
    years: int,
    rng: random.Random,
    password_hash: str,
    progress: Callable[[str], None],
) -> Seeded:
    started = time.perf_counter()
    seeded = Seeded()
    seeded.centre_id = _insert_one(connection, CentreRecord, {"code": "BENCH", "name": "Bench"})
    seeded.user_id = _insert_one(
        connection,
        UserRecord,
        {
            "username": "bench-hematologist",
            "display_name": "Benchmark hematologist",
            "role": Role.HEMATOLOGIST,
            "centre_id": seeded.centre_id,
            "password_hash": password_hash,
            "password_changed_at": SEEDED_AT,
        },
    )
    products = {factor: _insert_product(connection, seeded.centre_id, factor) for factor in "AB"}
    seeded.rows.update({"centres": 1, "users": 1, "products": 2})
    people = _insert_patients(connection, seeded, patients, rng)
    writer = Writer(connection, seeded)
    history_start = HISTORY_END - timedelta(days=round(365.25 * years))
    for number, (patient_id, kind, birth) in enumerate(people, start=1):
        chart = PatientChart(patient_id, kind, birth, products[kind], seeded.user_id, rng)
        chart.write(connection, writer, history_start, seeded)
        if number % 100 == 0 or number == patients:
            progress(f"seeding: {number}/{patients} patients, {_so_far(seeded, writer)}")
    writer.flush()
    seeded.seconds = time.perf_counter() - started
    return seeded


def _so_far(seeded: Seeded, writer: Writer) -> str:
    buffered = len(writer.buffers.get("infusions", []))
    infusions = seeded.rows["infusions"] + buffered
    return f"{infusions:,} infusions, {seeded.rows['bleeds']:,} bleeds"


def _insert_one(connection: Connection, model: Any, values: dict[str, Any]) -> int:
    statement = insert(_table(model)).returning(_table(model).c.id)
    return int(connection.execute(statement, [values | _stamps()]).scalar_one())


def _insert_product(connection: Connection, centre_id: int, kind: str) -> int:
    values = {
        "centre_id": centre_id,
        "name": f"Synthetic F{'VIII' if kind == 'A' else 'IX'}",
        "factor": "VIII" if kind == "A" else "IX",
        "vial_sizes_iu": [250, 500, 1000, 2000],
        "recovery_iu_dl_per_iu_kg": 2.0 if kind == "A" else 1.0,
    }
    return _insert_one(connection, ProductRecord, values)


def _insert_patients(
    connection: Connection, seeded: Seeded, count: int, rng: random.Random
) -> list[tuple[int, str, date]]:
    rows = [_patient_row(seeded.centre_id, number, rng) for number in range(1, count + 1)]
    connection.execute(insert(_table(PatientRecord)), rows)
    seeded.rows["patients"] = count
    query = select(PatientRecord.id, PatientRecord.hemophilia_type, PatientRecord.birth_date)
    found = connection.execute(query.where(PatientRecord.centre_id == seeded.centre_id))
    people = [(row.id, row.hemophilia_type.value, row.birth_date) for row in found]
    seeded.patient_ids = [person[0] for person in people]
    return people


def _patient_row(centre_id: int, number: int, rng: random.Random) -> dict[str, Any]:
    activity = rng.choice((0.5, 0.5, 0.5, 2.0, 4.0, 12.0))  # mostly severe, as in a clinic
    return {
        "centre_id": centre_id,
        "record_number": f"SYN-{number:05d}",
        "given_name": rng.choice(GIVEN_NAMES),
        "family_name": f"{rng.choice(FAMILY_NAMES)}-{number}",
        "birth_date": date(2008, 1, 1) + timedelta(days=rng.randrange(7 * 365)),
        "sex": "male",
        "hemophilia_type": "A" if rng.random() < 0.8 else "B",
        "factor_activity_iu_dl": activity,
        "severity": severity_from_factor_activity(activity),
        "prior_regimen": "prophylaxis",
        "synthetic": True,
        **_stamps(),
    }


@dataclass
class PatientChart:
    """One synthetic patient's history, generated and handed to the writer."""

    patient_id: int
    kind: str
    birth: date
    product_id: int
    user_id: int
    rng: random.Random

    def write(self, connection: Connection, writer: Writer, start: date, seeded: Seeded) -> None:
        writer.add(InfusionRecord, self.prophylaxis(start))
        writer.add(InfusionRecord, self.bleed_infusions(connection, start, seeded))
        writer.add(WeightRecord, self.yearly(start, self.weight))
        writer.add(InhibitorResultRecord, self.yearly(start, self.inhibitor_test))
        writer.add(RegimenRecord, [self.regimen(start)])
        writer.add(ConsentRecord, [self.consent(start)])

    def weight_kg(self, on: date) -> float:
        # A rough growth curve; the benchmark needs plausible, not exact, values.
        return round(3.5 + 2.6 * (on - self.birth).days / 365.25, 1)

    def dose(self, on: date) -> tuple[int, float]:
        weight = self.weight_kg(on)
        iu = max(250, round(weight * (30 if self.kind == "A" else 40) / 250) * 250)
        return iu, round(iu / weight, 1)

    def infusion(self, given: datetime, reason: str, bleed_id: int | None) -> dict[str, Any]:
        iu, per_kg = self.dose(given.date())
        return {
            "patient_id": self.patient_id,
            "product_id": self.product_id,
            "lot": f"L{given.year}{self.rng.randrange(100):02d}",
            "given_at": given,
            "dose_iu": iu,
            "dose_iu_per_kg": per_kg,
            "reason": reason,
            "bleed_id": bleed_id,
            "recorded_by_id": self.user_id,
            **_stamps(),
        }

    def at(self, day: date, earliest_hour: int = 7) -> datetime:
        minute = self.rng.randrange(120)
        moment = clock(earliest_hour + minute // 60, minute % 60)
        return datetime.combine(day, moment, tzinfo=UTC)

    def prophylaxis(self, start: date) -> list[dict[str, Any]]:
        weekdays = WEEKDAYS[self.kind]
        days = (start + timedelta(days=n) for n in range((HISTORY_END - start).days))
        return [
            self.infusion(self.at(day), "prophylaxis", None)
            for day in days
            if day.weekday() in weekdays
        ]

    def bleed_infusions(
        self, connection: Connection, start: date, seeded: Seeded
    ) -> list[dict[str, Any]]:
        """Insert this patient's bleeds (ids come back in order) and their treatment."""
        bleeds = [self.bleed(started) for started in self.bleed_starts(start)]
        if not bleeds:
            return []
        table = _table(BleedRecord)
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = connection.execute(statement, bleeds).scalars().all()
        seeded.rows["bleeds"] += len(bleeds)
        return [
            self.infusion(bleed["started_at"] + timedelta(hours=2 + 24 * dose), "bleed", bleed_id)
            for bleed, bleed_id in zip(bleeds, ids, strict=True)
            for dose in range(self.rng.randint(1, 3))
        ]

    def bleed_starts(self, start: date) -> list[datetime]:
        starts = []
        for year in range((HISTORY_END - start).days // 365):
            for _ in range(self.rng.choice(BLEEDS_PER_YEAR)):
                day = start + timedelta(days=365 * year + self.rng.randrange(365))
                starts.append(self.at(day, earliest_hour=self.rng.randrange(6, 20)))
        return starts

    def bleed(self, started: datetime) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "site": self.rng.choice(BLEED_SITES).value,
            "bleed_type": self.rng.choice(("spontaneous", "traumatic")),
            "started_at": started,
            "treatment_ended_at": started + timedelta(days=1),
            "findings": [],
            "urgency": self.rng.choice(("urgent", "routine")),
            "femoral_neuropathy": False,
            "reported_by_id": self.user_id,
            **_stamps(),
        }

    def yearly(self, start: date, make: Callable[[date], dict[str, Any]]) -> list[dict[str, Any]]:
        years = (HISTORY_END - start).days // 365
        return [make(start + timedelta(days=365 * year + 30)) for year in range(years)]

    def weight(self, on: date) -> dict[str, Any]:
        base = {"patient_id": self.patient_id, "recorded_by_id": self.user_id}
        return base | {"measured_date": on, "weight_kg": self.weight_kg(on), **_stamps()}

    def inhibitor_test(self, on: date) -> dict[str, Any]:
        base = {"patient_id": self.patient_id, "recorded_by_id": self.user_id}
        return base | {"sample_date": on, "titre_bu_ml": 0.0, "positive": False, **_stamps()}

    def regimen(self, start: date) -> dict[str, Any]:
        iu, per_kg = self.dose(start)
        return {
            "patient_id": self.patient_id,
            "product_id": self.product_id,
            "dose_iu": iu,
            "dose_iu_per_kg": per_kg,
            "infusions_per_week": len(WEEKDAYS[self.kind]),
            "weekdays": [WEEKDAY_NAMES[day] for day in WEEKDAYS[self.kind]],
            "start_date": start,
            "prescribed_by_id": self.user_id,
            **_stamps(),
        }

    def consent(self, start: date) -> dict[str, Any]:
        base = {"patient_id": self.patient_id, "kind": "registry", "given_by": "parent"}
        return base | {"given_date": start, **_stamps()}


def print_progress(line: str) -> None:
    sys.stderr.write(f"\r{line}")
    sys.stderr.flush()
