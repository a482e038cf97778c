"""Patient list and the patient record: joint map, timeline, trend charts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hemojoint.domain import bleeds as domain_bleeds
from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.instruments.hjhs import HjhsItem
from hemojoint.domain.patients import Severity
from hemojoint.services import patient_list_view as list_view
from hemojoint.services import patient_record_view as record_view
from hemojoint.services.adherence import adherence_rules
from hemojoint.services.errors import NotFoundError
from hemojoint.web.api.deps import AppSettings, DbSession, Now
from hemojoint.web.i18n import N_
from hemojoint.web.pages import charts, joint_map
from hemojoint.web.pages.context import Page
from hemojoint.web.pages.labels import (
    INSTRUMENT_LABELS,
    JOINT_LABELS,
    TIMEPOINT_LABELS,
    URGENCY_LABELS,
)
from hemojoint.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
WEEK_BAND_LABELS = {
    "not_enrolled": N_("Not enrolled"),
    "weeks_1_4": N_("Weeks 1-4"),
    "weeks_5_8": N_("Weeks 5-8"),
    "weeks_9_12": N_("Weeks 9-12"),
    "finished": N_("Finished"),
}
SEVERITY_LABELS = {"severe": N_("Severe"), "moderate": N_("Moderate"), "mild": N_("Mild")}
BAND_LABELS = {
    "none": N_("0 points"),
    "mild": N_("above 0, up to a quarter of the maximum"),
    "moderate": N_("over a quarter, up to half of the maximum"),
    "marked": N_("over half of the maximum"),
    "unscored": N_("no score"),
}


@router.get("/patients")
def patient_list(
    request: Request,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
    q: Annotated[str, Query(max_length=120)] = "",
    severity: Severity | None = None,
    week: list_view.WeekBand | None = None,
    alerts: bool = False,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    page.require_team()
    filters = list_view.ListFilters(q.strip() or None, severity, week, alerts)
    found = list_view.list_page(
        session,
        page.actor,
        filters=filters,
        offset=offset,
        limit=PAGE_SIZE,
        now=moment,
        rules=adherence_rules(settings.definitions_dir),
    )
    partial = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "patients/_rows.html" if partial else "patients/list.html",
        page,
        found=found,
        today=moment.astimezone(UTC).date(),
        q=q,
        severity=severity.value if severity else "",
        severity_labels=SEVERITY_LABELS,
        week=week.value if week else "",
        week_bands=WEEK_BAND_LABELS,
        alerts_only=alerts,
        query=_query(q, severity, week, alerts),
    )


def _query(q: str, severity: Severity | None, week: Any, alerts: bool) -> str:
    """The filters as a query string for the paging links (offset is appended)."""
    pairs = [("q", q)] if q else []
    pairs += [("severity", severity.value)] if severity else []
    pairs += [("week", week.value)] if week else []
    pairs += [("alerts", "true")] if alerts else []
    return urlencode(pairs)


@router.get("/patients/{patient_id}")
def patient_page(
    request: Request,
    page: Page,
    session: DbSession,
    settings: AppSettings,
    moment: Now,
    patient_id: int,
) -> Response:
    page.require_team()
    today = moment.astimezone(UTC).date()
    view = record_view.record_view(
        session,
        page.actor,
        patient_id=patient_id,
        today=today,
        rules=adherence_rules(settings.definitions_dir),
    )
    return render(
        request,
        "patients/record.html",
        page,
        view=view,
        patient=view.full.patient,
        age=_age(view.full.patient.birth_date, today),
        marks=joint_map.layout(joint_scores(view.joint_assessments)),
        tiers=_tiers(view.joint_assessments),
        band_labels=BAND_LABELS,
        band_colours=joint_map.BAND_COLOURS,
        week_bands=WEEK_BAND_LABELS,
        joint_labels=JOINT_LABELS,
        severity_labels=SEVERITY_LABELS,
        timeline=_timeline(view)[: record_view.TIMELINE_LIMIT],
        trends=_trends(view, today),
    )


@router.get("/patients/{patient_id}/joints/{joint}")
def joint_page(
    request: Request, page: Page, session: DbSession, patient_id: int, joint: str
) -> Response:
    page.require_team()
    if joint not in joint_map.POSITIONS:
        raise NotFoundError("joint", joint)
    full, assessments = record_view.joint_history(session, page.actor, patient_id=patient_id)
    bleeds = [row for row in full.sections.get("bleeds", []) if row.site == BleedSite(joint)]
    return render(
        request,
        "patients/joint.html",
        page,
        patient=full.patient,
        joint=joint,
        hjhs=[item for item in assessments if item.instrument_code == "hjhs"],
        ultrasound=[item for item in assessments if item.instrument_code != "hjhs"],
        tiers=record_view.ULTRASOUND_TIERS,
        bleeds=bleeds,
        joint_labels=JOINT_LABELS,
        hjhs_items=[item.value for item in HjhsItem],
    )


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# --- joint map ---------------------------------------------------------------------------


def joint_scores(assessments: list[Any]) -> dict[str, joint_map.JointScores]:
    """The latest HJHS and ultrasound joint score of each joint, with each joint's maximum."""
    hjhs = record_view.latest_per_joint(assessments, ["hjhs"])
    sound = record_view.latest_per_joint(assessments, list(record_view.ULTRASOUND_TIERS))
    scores = {}
    for joint in joint_map.POSITIONS:
        h, u = hjhs.get(joint), sound.get(joint)
        scores[joint] = joint_map.JointScores(
            _joint_total(h, joint), h.result.get("joint_total_max") if h else None,
            _joint_total(u, joint), _per_joint_max(u),
        )  # fmt: skip
    return scores


def _joint_total(item: Any, joint: str) -> float | None:
    if item is None:
        return None
    value = (item.result.get("joint_totals") or {}).get(joint)  # POCUS and mm have none
    return None if value is None else float(value)


def _per_joint_max(item: Any) -> float | None:
    """HEAD-US(-C): ``max_possible`` is the joint maximum times the joints scored."""
    if item is None or not item.result.get("joints_scored"):
        return None
    return float(item.result["max_possible"]) / len(item.result["joints_scored"])


def _tiers(assessments: list[Any]) -> dict[str, str]:
    latest = record_view.latest_per_joint(assessments, list(record_view.ULTRASOUND_TIERS))
    return {
        joint: record_view.ULTRASOUND_TIERS[item.instrument_code] for joint, item in latest.items()
    }


# --- timeline and trends ----------------------------------------------------------------


def _timeline(view: record_view.RecordView) -> list[dict[str, Any]]:
    sections = view.full.sections
    events = [
        *(_event(_day(r.started_at), N_("Bleed"), r.site.value,
                 URGENCY_LABELS.get(r.urgency or "", r.urgency or ""))
          for r in sections.get("bleeds", [])),
        *(_event(_day(r.given_at), N_("Infusion"), f"{r.dose_iu} IU", r.reason)
          for r in sections.get("infusions", [])),
        *(_event(r.assessed_date, N_("Assessment"),
                 INSTRUMENT_LABELS.get(r.instrument_code, r.instrument_code),
                 TIMEPOINT_LABELS.get(r.timepoint, r.timepoint))
          for r in sections.get("assessments", [])),
        *(_event(_day(c["created_at"]), N_("Plan change"), f"v{c['number']}", c["reason"])
          for c in view.plan_changes),
        *(_event(_day(m.created_at), N_("Message"), m.body[:80], "") for m in view.messages),
    ]  # fmt: skip
    return sorted(events, key=lambda event: event["day"], reverse=True)


def _event(day: date, kind: str, what: str, code: str) -> dict[str, Any]:
    return {"day": day, "kind": kind, "what": what, "code": code}


def _day(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()


TREND_INSTRUMENTS = {"hjhs": {"hjhs"}, "choklat": {"choklat"}}
ULTRASOUND_WITH_TOTAL = ("head_us", "head_us_c")


def _latest_ultrasound(assessments: Any) -> str | None:
    """The instrument of the newest scored ultrasound: the trend plots like with like."""
    scored = [row for row in assessments if row.instrument_code in ULTRASOUND_WITH_TOTAL]
    return max(scored, key=lambda row: row.assessed_date).instrument_code if scored else None


def _abr_by_quarter(bleeds: Any, ends: list[date]) -> list[tuple[date, float]]:
    """ABR of the 12 months before each quarter end, counted in episodes (the domain's rule)."""
    episodes = domain_bleeds.group_episodes(
        domain_bleeds.BleedEpisode(row.site, row.started_at, row.treatment_ended_at, row.bleed_type)
        for row in bleeds
    )
    return [
        (end, domain_bleeds.annualised_bleeding_rate(
            episodes, end - timedelta(days=364), end + timedelta(days=1)).total_abr)
        for end in ends
    ]  # fmt: skip


def _totals(assessments: Any, codes: set[str]) -> list[tuple[date, float]]:
    return [
        (row.assessed_date, row.total)
        for row in assessments
        if row.instrument_code in codes and row.total is not None
    ]


def _trends(view: record_view.RecordView, today: date) -> list[tuple[str, str, Any]]:
    """(id, title, chart or None) of each trend chart."""
    assessments = view.full.sections.get("assessments", [])
    by_code = {key: _totals(assessments, codes) for key, codes in TREND_INSTRUMENTS.items()}
    ultrasound = _latest_ultrasound(assessments)
    by_code["ultrasound"] = _totals(assessments, {ultrasound}) if ultrasound else []
    bleeds = view.full.sections.get("bleeds", [])
    abr = _abr_by_quarter(bleeds, charts.quarter_ends(today, 8))
    start = view.adherence_start
    weekly = [
        (start + timedelta(days=7 * (week.week - 1)), week.sessions.pct)
        for week in view.weekly_adherence
        if start is not None and week.sessions.pct is not None
    ]
    return [
        ("trend-hjhs", N_("HJHS total"), charts.line_chart(by_code["hjhs"])),
        ("trend-ultrasound", N_("Ultrasound total (the newest exam's instrument)"),
         charts.line_chart(by_code["ultrasound"])),
        ("trend-choklat", N_("CHO-KLAT score"), charts.line_chart(by_code["choklat"])),
        ("trend-abr", N_("Annualised bleeding rate over the previous 12 months, by quarter"),
         charts.line_chart(abr)),
        ("trend-adherence", N_("Home sessions done per programme week (percent)"),
         charts.line_chart(weekly)),
    ]  # fmt: skip
