"""The registry commands, run in-process against databases of their own (SQLite and PostgreSQL).

Settings come from the environment exactly as for a user: each test points
``HEMOJOINT_DATABASE_URL`` at a fresh database. One import and the server run
through the installed console script, in a subprocess.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemojoint.persistence.db import make_engine, session_factory
from hemojoint.persistence.migrate import alembic_config
from hemojoint.persistence.models import AuditEntryRecord, PatientRecord, ProductRecord, UserRecord
from hemojoint.services.security import verify_password
from tests.support.operations_builders import BACKENDS, fresh_database, table_rows

CONSOLE_SCRIPT = Path(sys.executable).with_name("hemojoint")
EXAMPLES = Path(__file__).parents[2] / "examples" / "import"
PASSWORD = "a long enough secret"
NewDatabase = Callable[..., AbstractContextManager[str]]


@pytest.fixture(params=BACKENDS)
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> NewDatabase:
    def make(*, migrate: bool = True) -> AbstractContextManager[str]:
        return fresh_database(request.param, tmp_path, migrate=migrate)

    return make


@pytest.fixture
def database(new_database: NewDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, migrated database that the CLI's settings point at."""
    with new_database() as url:
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        yield url


def test_a_centre_is_created_with_its_contact_line(database: str, run_cli) -> None:  # type: ignore[no-untyped-def]
    done = run_cli(
        "centre", "create", "--code", "HTC9", "--name", "Centre Nine",
        "--contact-line", "+86 10 1234 5678 (24 h)",
    )  # fmt: skip
    assert done.code == 0, done.stderr
    assert '"contact_line": "+86 10 1234 5678 (24 h)"' in done.stdout
    too_long = run_cli(
        "centre", "create", "--code", "X9", "--name", "X", "--contact-line", "9" * 121
    )
    assert too_long.code == 2
    assert "contact_line" in too_long.stderr


@pytest.fixture
def registry(database: str, run_cli, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    """A centre HTC1 with a hematologist ``doc``, made through the CLI itself."""
    assert run_cli("centre", "create", "--code", "HTC1", "--name", "Centre One").code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    created = run_cli(
        "user",
        "create",
        "--username",
        "doc",
        "--role",
        "hematologist",
        "--centre",
        "HTC1",
        "--display-name",
        "Dr Doc",
        "--password-stdin",
    )
    assert created.code == 0, created.stderr
    return database


def query(url: str, statement: Any) -> Any:
    engine = make_engine(url)
    with Session(engine) as session:
        result = session.execute(statement).scalars().all()
    engine.dispose()
    return result


def count(url: str, model: type) -> int:
    return query(url, select(func.count()).select_from(model))[0]


# --- db upgrade ---------------------------------------------------------------------------


def test_db_upgrade_migrates_an_empty_database_to_head(
    new_database: NewDatabase, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    with new_database(migrate=False) as url:
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        first = run_cli("db", "upgrade")
        again = run_cli("db", "upgrade")  # idempotent

    assert first.code == 0, first.stderr
    # The newest migration script in the package is the head the database must reach.
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert first.json()["revision"] == head
    assert again.json() == first.json()


def test_a_command_on_a_database_never_migrated_says_what_to_do(
    new_database: NewDatabase, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    with new_database(migrate=False) as url:
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        result = run_cli("centre", "create", "--code", "X", "--name", "X")

    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: database error: ")
    assert "has `hemojoint db upgrade` been run?" in result.stderr
    assert len(result.stderr.splitlines()) == 1


# --- centres and users ----------------------------------------------------------------------


def test_user_create_stores_only_an_argon2id_hash_and_audits_it(registry: str) -> None:
    user = query(registry, select(UserRecord))[0]

    assert (user.username, user.display_name, user.role.value) == ("doc", "Dr Doc", "hematologist")
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, PASSWORD)
    entries = query(registry, select(AuditEntryRecord).order_by(AuditEntryRecord.id))
    assert [(e.action, e.entity, e.address) for e in entries] == [
        ("create", "centre", "cli"),
        ("create", "user", "cli"),
    ]


def test_user_create_prints_the_user_but_never_the_password(
    database: str, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("centre", "create", "--code", "HTC1", "--name", "Centre One")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))

    result = run_cli(
        "user",
        "create",
        "--username",
        "nina",
        "--role",
        "nurse",
        "--centre",
        "HTC1",
        "--display-name",
        "Nina",
        "--password-stdin",
    )

    assert result.json() == {
        "id": 1,
        "username": "nina",
        "display_name": "Nina",
        "role": "nurse",
        "centre": "HTC1",
    }
    assert PASSWORD not in result.stdout + result.stderr


def test_the_password_can_be_typed_twice_at_a_prompt(
    database: str, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("centre", "create", "--code", "HTC1", "--name", "Centre One")
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})())
    typed = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))

    result = run_cli(
        "user",
        "create",
        "--username",
        "t",
        "--role",
        "therapist",
        "--centre",
        "HTC1",
        "--display-name",
        "T",
    )

    assert result.code == 0, result.stderr
    assert verify_password(query(database, select(UserRecord.password_hash))[0], PASSWORD)


@pytest.mark.parametrize(
    ("typed", "tty", "message"),
    [
        ([PASSWORD, PASSWORD + "x"], True, "error: password: the two passwords differ\n"),
        (
            [],
            False,
            "error: password: no terminal to prompt on; pipe the password with --password-stdin\n",
        ),
    ],
    ids=["prompts-differ", "no-terminal"],
)
def test_a_password_that_cannot_be_read_safely_creates_nobody(
    database: str,
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    typed: list[str],
    tty: bool,
    message: str,
) -> None:
    run_cli("centre", "create", "--code", "HTC1", "--name", "Centre One")
    monkeypatch.setattr(sys, "stdin", type("In", (io.StringIO,), {"isatty": lambda self: tty})())
    answers = iter(typed)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    result = run_cli(
        "user",
        "create",
        "--username",
        "t",
        "--role",
        "nurse",
        "--centre",
        "HTC1",
        "--display-name",
        "T",
    )

    assert (result.code, result.stdout, result.stderr) == (2, "", message)
    assert count(database, UserRecord) == 0


def test_a_password_is_never_accepted_on_the_command_line(registry: str, run_cli) -> None:
    result = run_cli(
        "user",
        "create",
        "--username",
        "x",
        "--role",
        "nurse",
        "--centre",
        "HTC1",
        "--display-name",
        "X",
        "--password",
        PASSWORD,
    )

    assert result.code == 2
    assert "unrecognized arguments: --password" in result.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--username", "doc"], PASSWORD, "error: username 'doc' is already taken\n"),
        (
            ["--username", "new"],
            "short",
            "error: password: has 5 characters; use at least 10 and at most 500 characters\n",
        ),
        (["--username", "new", "--centre", "NOPE"], PASSWORD, "error: centre NOPE was not found\n"),
    ],
    ids=["duplicate-username", "short-password", "unknown-centre"],
)
def test_user_create_refusals_are_one_line_and_write_nothing(
    registry: str,
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    stdin: str,
    message: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin + "\n"))
    defaults = {"--centre": "HTC1", "--role": "nurse", "--display-name": "N"}
    for flag, value in defaults.items():
        if flag not in args:
            args = [*args, flag, value]

    result = run_cli("user", "create", *args, "--password-stdin")

    assert (result.code, result.stdout, result.stderr) == (2, "", message)
    assert count(registry, UserRecord) == 1


def test_centre_codes_are_unique(registry: str, run_cli) -> None:
    result = run_cli("centre", "create", "--code", "HTC1", "--name", "Again")

    assert (result.code, result.stderr) == (2, "error: centre code 'HTC1' is already used\n")


# --- serve ------------------------------------------------------------------------------------


def test_serve_refuses_the_network_without_secure_cookies(
    database: str, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMOJOINT_COOKIE_SECURE", "false")

    result = run_cli("serve", "--host", "0.0.0.0", "--port", "1")

    assert result.code == 2
    assert result.stderr.startswith(
        "error: refusing --host 0.0.0.0 while HEMOJOINT_COOKIE_SECURE is false: session cookies "
        "would cross the network unencrypted"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_openapi(url: str, server: subprocess.Popen[str]) -> int:
    """Poll until the server answers (or dies); a deadline only stops a hung test."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return int(response.status)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer at {url} (exit code {server.poll()})")


def test_serve_runs_the_api_until_stopped(database: str) -> None:
    port = free_port()
    env = os.environ | {"HEMOJOINT_DATABASE_URL": database}
    server = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = wait_for_openapi(f"http://127.0.0.1:{port}/api/v1/openapi.json", server)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)

    assert status == 200
    assert f"Uvicorn running on http://127.0.0.1:{port}" in output


# --- backup and restore -----------------------------------------------------------------------


def test_backup_then_restore_into_a_new_database(
    registry: str,
    new_database: NewDatabase,
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = tmp_path / "registry.jsonl.gz"
    made = run_cli("backup", str(path))
    with new_database() as target:
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", target)
        restored = run_cli("restore", str(path))
        again = run_cli("restore", str(path))
        copies = {name: table_rows(target, name) for name in ("centres", "users", "audit_log")}

    assert made.code == 0, made.stderr
    assert made.json()["tables"]["users"] == 1
    assert restored.code == 0, restored.stderr
    assert restored.json()["rows"] == made.json()["rows"] == 4  # centre, user, 2 audit entries
    assert copies == {name: table_rows(registry, name) for name in copies}
    assert again.code == 2
    assert again.stderr.startswith("error: restore only goes into an empty database")


def test_restore_of_a_missing_file_is_one_line(registry: str, run_cli, tmp_path: Path) -> None:
    result = run_cli("restore", str(tmp_path / "nope.gz"))

    assert (result.code, result.stderr) == (2, f"error: {tmp_path / 'nope.gz'}: no such file\n")


# --- import ----------------------------------------------------------------------------------


def write_patients(tmp_path: Path, bad_row: int | None = None) -> Path:
    rows = (EXAMPLES / "patients.csv").read_text(encoding="utf-8").splitlines()[:1] + [
        f"P{n},Kid,Number{n},2016-01-0{n},male,A,0.5,prophylaxis,false" for n in range(1, 6)
    ]
    if bad_row is not None:
        rows[bad_row] = rows[bad_row].replace("2016-01-0", "2016-31-0")
    path = tmp_path / "patients.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_rejects_the_whole_file_when_row_3_of_5_is_bad(
    registry: str, run_cli, tmp_path: Path
) -> None:
    path = write_patients(tmp_path, bad_row=3)  # the third patient is spreadsheet row 4

    result = run_cli("import", "patients", str(path), "--centre", "HTC1", "--as", "doc")

    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {path}: 1 problem(s) in 5 rows; nothing was written: row 4, birth_date: "
        "Input should be a valid date or datetime, month value is outside expected range of 1-12\n"
    )
    assert count(registry, PatientRecord) == 0
    assert count(registry, AuditEntryRecord) == 2  # only the centre and the user


def test_import_dry_run_reports_problems_and_exits_2(
    registry: str, run_cli, tmp_path: Path
) -> None:
    path = write_patients(tmp_path, bad_row=3)

    result = run_cli(
        "import", "patients", str(path), "--centre", "HTC1", "--as", "doc", "--dry-run"
    )

    assert result.code == 2
    assert result.json()["problems"] == [
        "row 4, birth_date: Input should be a valid date or datetime, month value is outside expected range of 1-12"
    ]
    assert result.json()["would_create"] == 0
    assert result.stderr.startswith(f"error: {path}: 1 problem(s) in 5 rows")
    assert count(registry, PatientRecord) == 0


def test_import_dry_run_of_a_good_file_writes_nothing(
    registry: str, run_cli, tmp_path: Path
) -> None:
    path = write_patients(tmp_path)

    result = run_cli(
        "import", "patients", str(path), "--centre", "HTC1", "--as", "doc", "--dry-run"
    )

    assert result.code == 0, result.stderr
    assert result.json() == {
        "kind": "patients",
        "file": str(path),
        "dry_run": True,
        "rows_read": 5,
        "would_create": 5,
        "problems": [],
    }
    assert count(registry, PatientRecord) == 0


def test_the_example_files_import_through_the_console_script(
    registry: str, run_console_script
) -> None:
    engine = make_engine(registry)
    with session_factory(engine)() as session:
        # The example infusions use product 1, a factor VIII concentrate of the centre.
        session.add(
            ProductRecord(
                centre_id=1,
                name="Example FVIII",
                factor="VIII",
                vial_sizes_iu=[250, 500, 1000],
                recovery_iu_dl_per_iu_kg=2.0,
            )
        )
        session.commit()
    engine.dispose()

    results = {
        kind: run_console_script(
            "import", kind, str(EXAMPLES / f"{kind}.csv"), "--centre", "HTC1", "--as", "doc"
        )
        for kind in ("patients", "bleeds", "infusions")
    }

    for kind, result in results.items():
        assert result.code == 0, (kind, result.stderr)
    assert [result.json()["created"] for result in results.values()] == [3, 2, 3]
    assert count(registry, PatientRecord) == 3
