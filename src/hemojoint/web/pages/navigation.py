"""The main menu: what each role sees at the top of every page."""

from __future__ import annotations

from hemojoint.web.i18n import N_
from hemojoint.web.pages.context import PageContext

NavItem = tuple[str, str, int]  # (href, label to translate, badge count or 0)

CLINIC_MENU = [
    ("/patients", N_("Patients")),
    ("/alerts", N_("Alerts")),
    ("/mdt", N_("MDT meetings")),
    ("/reports", N_("Reports")),
]
FAMILY_MENU = [("/family", N_("Today"))]  # the family pages add each child's own links


def main_nav(page: PageContext) -> list[NavItem]:
    if page.is_family:
        return [(href, label, 0) for href, label in FAMILY_MENU]
    return [
        (href, label, page.open_alerts if href == "/alerts" else 0) for href, label in CLINIC_MENU
    ]
