"""Registry benchmark: seed a synthetic registry, then time the patient list and full record.

    python benchmarks/registry.py --database-url URL [--patients 5000] [--years 10]
        [--requests 200] [--out benchmarks/results/NAME.json]

The database at URL must be empty (a new SQLite file, or a freshly created
PostgreSQL database): it is migrated with Alembic, seeded (see seed_registry.py),
analysed, and then the real application answers requests in-process through
FastAPI's TestClient, authenticated by an API token like any script. Latencies
are wall-clock per request as the client sees them (routing, auth, queries,
audit entry, commit, JSON). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_registry import FAMILY_NAMES, Seeded, print_progress, seed

from hemojoint import __version__
from hemojoint.persistence.db import make_engine
from hemojoint.persistence.migrate import upgrade
from hemojoint.persistence.models import UserRecord
from hemojoint.services.auth import create_api_token
from hemojoint.services.security import hash_password
from hemojoint.settings import Settings
from hemojoint.web.app import create_app

WARM_UP = 10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an EMPTY database")
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed (data, requests)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    return parser.parse_args(argv)


def refuse_non_empty(url: str) -> None:
    engine = make_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        sys.exit(f"refusing: the database already has tables ({', '.join(tables[:5])}, ...)")


def seeding_engine(url: str) -> Engine:
    """An engine for seeding only: SQLite skips fsync (a crash would just mean re-seeding)."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _fast(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA synchronous = OFF")

    return engine


def seed_database(url: str, args: argparse.Namespace, rng: random.Random) -> Seeded:
    engine = seeding_engine(url)
    password_hash = hash_password(os.urandom(16).hex())  # nobody signs in: a token is used
    with engine.begin() as connection:  # one transaction for the whole seeding
        seeded = seed(
            connection,
            patients=args.patients,
            years=args.years,
            rng=rng,
            password_hash=password_hash,
            progress=print_progress,
        )
    print(file=sys.stderr)
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))  # fresh planner statistics after the bulk load
    seeded.analyze_seconds = time.perf_counter() - started
    engine.dispose()
    return seeded


def issue_token(engine: Engine, user_id: int) -> str:
    with Session(engine) as session, session.begin():
        user = session.scalars(select(UserRecord).where(UserRecord.id == user_id)).one()
        return create_api_token(session, user=user, name="benchmark").token


def time_requests(client: TestClient, urls: list[str]) -> dict[str, float]:
    for url in urls[:WARM_UP]:  # warm caches and compiled statements; not counted
        check(client.get(url), url)
    timings, sizes = [], []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        check(response, url)
        sizes.append(len(response.content))
    return summarise(timings, sizes)


def check(response: Any, url: str) -> None:
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}: {response.text[:300]}")


def summarise(timings: list[float], sizes: list[int]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(percentile(ordered, 95), 2),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "mean_response_kb": round(statistics.fmean(sizes) / 1024, 1),
    }


def percentile(ordered: list[float], percent: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def request_plans(seeded: Seeded, count: int, rng: random.Random) -> dict[str, list[str]]:
    last_offset = max(0, len(seeded.patient_ids) - 50)
    return {
        "patient_list": [
            f"/api/v1/patients?limit=50&offset={rng.randint(0, last_offset)}" for _ in range(count)
        ],
        "patient_list_search": [
            f"/api/v1/patients?limit=50&search={rng.choice(FAMILY_NAMES)[:4].lower()}"
            for _ in range(count)
        ],
        "patient_record": [
            f"/api/v1/patients/{rng.choice(seeded.patient_ids)}/record" for _ in range(count)
        ],
    }


def measure(url: str, seeded: Seeded, count: int, rng: random.Random) -> dict[str, Any]:
    engine = make_engine(url)
    token = issue_token(engine, seeded.user_id)
    app = create_app(Settings(database_url=url), sessions=None)
    results: dict[str, Any] = {}
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        for name, urls in request_plans(seeded, count, rng).items():
            results[name] = time_requests(client, urls)
            print(f"timed {name}", file=sys.stderr)
    engine.dispose()
    return results


def server_version(url: str) -> str:
    if make_url(url).get_backend_name() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    engine = make_engine(url)
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar_one()
    engine.dispose()
    return f"PostgreSQL {version}"


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().split()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def report(results: dict[str, Any]) -> str:
    seeded = results["seeded"]
    lines = [
        f"database: {results['database']}   hemojoint {results['hemojoint']}",
        "seeded: " + ", ".join(f"{count:,} {table}" for table, count in seeded["rows"].items()),
        f"        ({seeded['patients']:,} synthetic patients x {seeded['years']} years)"
        f" in {seeded['seconds']:.1f} s",
        "load average (1, 5, 15 min) before/after timing: "
        + " / ".join(
            ", ".join(f"{x:.1f}" for x in values)
            for values in results["load_average_1_5_15_min"].values()
        ),
        "",
        f"{'endpoint':<22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'KiB':>8}",
    ]
    for name, row in results["latency"].items():
        lines.append(
            f"{name:<22}{row['requests']:>9}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
            f"{row['max_ms']:>9.1f}{row['mean_response_kb']:>8.1f}"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace, now: Callable[[], datetime]) -> dict[str, Any]:
    url = args.database_url
    refuse_non_empty(url)
    upgrade(url)
    rng = random.Random(args.seed)
    seeded = seed_database(url, args, rng)
    load_before = os.getloadavg()
    latency = measure(url, seeded, args.requests, rng)
    # Other work on the machine inflates latencies: keep the load beside the figures.
    load = {"before": load_before, "after": os.getloadavg()}
    return {
        "date": now().isoformat(timespec="seconds"),
        "database": server_version(url),
        "hemojoint": __version__,
        "machine": machine(),
        "load_average_1_5_15_min": load,
        "seeded": {
            "patients": args.patients,
            "years": args.years,
            "rows": dict(seeded.rows),
            "seconds": round(seeded.seconds, 1),
            "analyze_seconds": round(seeded.analyze_seconds, 1),
        },
        "latency": latency,
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    results = run(args, now=lambda: datetime.now(UTC))
    print(report(results))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
