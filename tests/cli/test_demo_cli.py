"""``hemojoint demo --seed-only --db PATH`` (SQLite): a fresh, usable demo database.

Expected values from the issue (issue 5, "The demo"): 59 synthetic children, one login
per role; and from this command's contract: it never overwrites a file that is not a
previous demo's database.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemojoint.domain.access import Role
from hemojoint.persistence.db import make_engine
from hemojoint.persistence.models import PatientRecord, UserRecord
from hemojoint.services.security import verify_password


def test_seed_only_creates_a_usable_database(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    database = tmp_path / "demo.db"
    done = run_cli("demo", "--seed-only", "--db", str(database))
    assert done.code == 0, done.stderr
    summary = done.json()
    assert summary["centre"] == "Synthetic demo centre"
    assert summary["patients"] == 59
    assert summary["database"] == str(database.resolve())
    assert summary["seconds"] > 0
    logins = {login["role"]: login for login in summary["logins"]}
    assert set(logins) == {role.value for role in Role}
    engine = make_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            count = session.scalar(select(func.count()).select_from(PatientRecord))
            synthetic = session.scalar(
                select(func.count()).select_from(PatientRecord).where(PatientRecord.synthetic)
            )
            nurse = session.scalar(
                select(UserRecord).where(UserRecord.username == logins["nurse"]["username"])
            )
            assert nurse is not None
            nurse_can_sign_in = verify_password(nurse.password_hash, logins["nurse"]["password"])
    finally:
        engine.dispose()
    assert (count, synthetic) == (59, 59)
    assert nurse_can_sign_in
    check_ins = list((tmp_path / "demo-media").rglob("*"))
    assert any(path.is_file() for path in check_ins)


def test_refuses_to_overwrite_a_file_that_is_not_a_demo_database(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "clinic.db"
    other.write_bytes(b"precious data")
    done = run_cli("demo", "--seed-only", "--db", str(other))
    assert done.code == 2
    assert "is not a hemojoint demo database" in done.stderr
    assert done.stdout == ""
    assert other.read_bytes() == b"precious data"


def test_a_missing_folder_is_named_instead_of_a_traceback(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "no-such-folder" / "demo.db"
    done = run_cli("demo", "--seed-only", "--db", str(missing))
    assert done.code == 2
    assert done.stderr == f"error: --db: the folder {missing.parent} does not exist\n"
