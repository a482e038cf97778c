"""Page benchmark: how long the main web pages take to render on the demo data.

    python benchmarks/pages.py [--requests 50] [--out benchmarks/results/pages.json]

Seeds the synthetic demo cohort (exactly what `hemojoint demo` serves) into a new
SQLite file, signs each role in through the sign-in form, and times the main pages
in-process with FastAPI's TestClient: routing, the session and CSRF check, the
queries, the audit entries, the commit and the template. The issue's target is
under 200 ms per page. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from hemojoint import __version__
from hemojoint.domain.access import Role
from hemojoint.persistence.db import make_engine, session_factory
from hemojoint.persistence.migrate import upgrade
from hemojoint.persistence.models import FamilyLinkRecord, MdtMeetingRecord, UserRecord
from hemojoint.services.demo_cohort import demo_password, seed_demo
from hemojoint.services.media_store import MediaStore
from hemojoint.settings import Mode, get_settings
from hemojoint.web.app import create_app

WARM_UP = 3
TARGET_MS = 200


def main() -> None:
    options = _arguments()
    with tempfile.TemporaryDirectory() as folder:
        settings = _seeded_settings(Path(folder))
        ids = _ids(settings.database_url)
        app = create_app(settings)
        rows = [
            _time_page(app, role, url.format(**ids), options.requests) for role, url in _pages()
        ]
    report = {
        "hemojoint": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "requests_per_page": options.requests,
        "target_ms": TARGET_MS,
        "pages": rows,
    }
    _print_table(rows)
    if options.out:
        options.out.write_text(json.dumps(report, indent=2) + "\n")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--out", type=Path, default=None)
    return parser.parse_args()


def _pages() -> list[tuple[str, str]]:
    """(role, URL) of the pages people open most, with ids from the demo data."""
    return [
        ("hematologist", "/patients"),
        ("hematologist", "/patients?severity=severe&week=weeks_1_4"),
        ("hematologist", "/patients/{patient}"),
        ("hematologist", "/patients/{patient}/joints/left_ankle"),
        ("therapist", "/patients/{patient}/assessments/new/hjhs"),
        ("therapist", "/patients/{patient}/rehab"),
        ("hematologist", "/alerts"),
        ("rehab_physician", "/mdt/{meeting}"),
        ("caregiver", "/family/{child}"),
        ("caregiver", "/family/{child}/bleed"),
    ]


def _seeded_settings(folder: Path) -> Any:
    url = f"sqlite:///{folder / 'demo.db'}"
    settings = get_settings(
        mode=Mode.DEMO, database_url=url, media_dir=folder / "media", cookie_secure=False
    )
    upgrade(url)
    sessions = session_factory(make_engine(url))
    with sessions() as session:
        seed_demo(session, media_store=MediaStore(folder / "media"), today=date.today())
        session.commit()
    return settings


def _ids(url: str) -> dict[str, int]:
    with session_factory(make_engine(url))() as session:
        caregiver = session.scalars(
            select(UserRecord).where(UserRecord.username == "demo.caregiver")
        ).one()
        child = session.scalars(
            select(FamilyLinkRecord.patient_id).where(FamilyLinkRecord.user_id == caregiver.id)
        ).first()
        meeting = session.scalars(select(MdtMeetingRecord.id).order_by(MdtMeetingRecord.id)).first()
    assert child is not None
    assert meeting is not None
    # The caregiver's child is mid-programme: the richest record, so the slowest.
    return {"patient": child, "child": child, "meeting": meeting}


def _signed_in(app: Any, role: str) -> TestClient:
    client = TestClient(app, base_url="http://127.0.0.1")
    form = client.get("/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token is not None
    username = f"demo.{role.replace('_', '.')}"
    data = {"username": username, "password": demo_password(Role(role)), "login_token": token[1]}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, f"{username} could not sign in"
    return client


def _time_page(app: Any, role: str, url: str, requests: int) -> dict[str, Any]:
    client = _signed_in(app, role)
    for _ in range(WARM_UP):
        _get(client, url)
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        _get(client, url)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    return {
        "role": role,
        "url": url,
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(latencies[-1], 1),
    }


def _get(client: TestClient, url: str) -> None:
    response = client.get(url, follow_redirects=False)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")


def _print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'role':<16} {'page':<48} {'median ms':>10} {'p95 ms':>8}")
    for row in rows:
        line = f"{row['role']:<16} {row['url']:<48} {row['median_ms']:>10} {row['p95_ms']:>8}"
        print(line)


if __name__ == "__main__":
    main()
