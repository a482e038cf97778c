"""One database transaction per command, and database failures as one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from hemojoint.persistence.db import make_engine, session_factory
from hemojoint.services.operations import OperationRefusedError
from hemojoint.settings import Settings


@contextmanager
def engine_for(settings: Settings) -> Iterator[Engine]:
    """An engine for the command; a database that cannot be used is a one-line error."""
    engine = make_engine(settings.database_url)
    try:
        yield engine
    except (OperationalError, ProgrammingError) as error:
        # Typically: the server is down, or the schema is missing (never migrated).
        first_line = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise OperationRefusedError(
            f"database error: {first_line} (is HEMOJOINT_DATABASE_URL right, "
            "and has `hemojoint db upgrade` been run?)"
        ) from error
    finally:
        engine.dispose()


@contextmanager
def transaction(settings: Settings, *, commit: bool = True) -> Iterator[Session]:
    """A session whose work is committed when the block ends (unless ``commit`` is False).

    Any exception rolls everything back, so a failing command writes nothing.
    """
    with engine_for(settings) as engine, session_factory(engine)() as session:
        yield session
        if commit:
            session.commit()
