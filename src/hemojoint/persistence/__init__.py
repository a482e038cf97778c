"""The system of record: SQLAlchemy models, repositories and Alembic migrations.

Services and repositories never commit; the request or command at the edge does
(one commit per request), so a failure anywhere leaves nothing half-written.
"""
