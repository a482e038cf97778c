"""The demo inbox: the cohort's past triage alerts, seen at the time by the demo hematologist.

Seeding writes months of synthetic history today, so every bleed's alert is raised with
today's clock. Here each alert is put back at its bleed's start (when the family would
have reported it) and, unless the bleed is recent, acknowledged by the demo hematologist
a couple of hours later: the inbox then opens on what is new, with the history behind it.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from hemojoint.persistence.repositories import alerts as queries
from hemojoint.services import alerts
from hemojoint.services.actor import Actor

OPEN_DAYS = 14  # bleeds that started within this many days before seeding stay open
SEEN_AFTER = timedelta(hours=2)
NOTE = "Seen at the time: family called back, factor given (synthetic demo history)."


def settle_history(session: Session, hematologist: Actor, today: date) -> int:
    """Backdate the demo's alerts and acknowledge the old ones; return how many stay open."""
    still_open = 0
    for alert in queries.open_alerts(session, hematologist.viewer):
        started = alert.bleed.started_at
        if started.date() >= today - timedelta(days=OPEN_DAYS):
            still_open += 1
        else:
            seen_at = started + SEEN_AFTER
            version = alert.version
            alerts.acknowledge(
                session, hematologist, alert.id, version=version, note=NOTE, now=seen_at
            )
        # After the acknowledgement (its version check), flushed with the next one.
        alert.raised_at = started
    session.flush()
    return still_open
