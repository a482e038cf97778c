"""The outcome report: HTML (Jinja2) and PDF (WeasyPrint) from the JSON outcome analysis.

It shows the Table 1 (the JSON's formatted rows, unchanged), the figures of
:mod:`hemojoint.reports.outcome_plots`, a methods paragraph written from the tests
the analysis actually chose, and the data provenance (database, filters,
timepoints, included and excluded patients with reasons, hemojoint and instrument
versions, with provisional instruments flagged). Everything is escaped except the
SVG figures we draw ourselves; the PDF fetches nothing (``rendering.html_to_pdf``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import make_url

from hemojoint import __version__
from hemojoint.domain.instruments.base import Status
from hemojoint.reports import outcome_plots
from hemojoint.reports.outcome_tables import outcome_tables
from hemojoint.reports.rendering import TEMPLATES, html_to_pdf
from hemojoint.services.outcomes_report_data import AbrPeriod, HeatMap, OutcomesReportData

TEMPLATE = "outcomes.html.j2"
LABELS = {
    "hjhs_total": "HJHS total",
    "hjhs_swelling": "HJHS swelling",
    "hjhs_muscle": "HJHS muscle atrophy",
    "hjhs_motion": "HJHS range of motion",
    "hjhs_crepitus": "HJHS crepitus",
    "hjhs_pain": "HJHS joint pain",
    "hjhs_gait": "HJHS gait",
    "ultrasound_total": "Ultrasound total (HEAD-US / HEAD-US-C)",
    "choklat_score": "CHO-KLAT",
    "joint_bleeds_12_weeks": "Joint bleeds (12 weeks)",
    "joint_abr": "Joint ABR",
    "target_joints": "Target joints",
}
BLEED_OUTCOMES = ("joint_bleeds_12_weeks", "joint_abr", "target_joints")
PLOTTED = ("hjhs_total", "ultrasound_total", "choklat_score")
BLEEDS = "joint_bleeds_12_weeks"
NONE = "\u2013"  # an en dash in an empty cell


@dataclass(frozen=True)
class InstrumentLine:
    code: str
    version: str
    status: str


@dataclass(frozen=True)
class OutcomesReportSource:
    """The JSON analysis plus what only the HTML/PDF shows."""

    report: Mapping[str, Any]
    pairs: Mapping[str, Sequence[tuple[float, float]]]  # outcome -> included pairs
    instruments: Sequence[InstrumentLine]
    database: str  # the database URL with any password hidden
    hemojoint_version: str
    generated_at: datetime
    heat_maps: Sequence[HeatMap] = ()
    abr_periods: Sequence[AbrPeriod] = ()


@dataclass(frozen=True)
class RowView:
    outcome: str
    n: int
    baseline: str
    follow_up: str
    statistic: str
    p: str
    note: str | None  # why the outcome was not tested


@dataclass(frozen=True)
class Figure:
    caption: str
    svg: Markup
    wide: bool = False  # heat maps and ABR over time take the page's width


def label(outcome: str) -> str:
    return LABELS.get(outcome, outcome)


# --- building the view --------------------------------------------------------------------


def table_rows(report: Mapping[str, Any]) -> list[RowView]:
    rows = []
    for entry in report["outcomes"]:
        row, test = entry.get("row"), entry.get("test")
        if row is None or test is None:
            rows.append(
                RowView(
                    label(entry["outcome"]), entry["n"], NONE, NONE, NONE, NONE, entry["not_tested"]
                )
            )
            continue
        name = "t" if test["statistic_name"] == "t" else "Z"
        statistic = f"{name} = {row['statistic']}"
        rows.append(
            RowView(
                label(entry["outcome"]),
                entry["n"],
                row["baseline"],
                row["follow_up"],
                statistic,
                row["p"],
                None,
            )
        )
    return rows


def _names(entries: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(label(entry["outcome"]) for entry in entries)


FILTER_NAMES = {
    "severity": "severity",
    "hemophilia_type": "hemophilia type",
    "prior_regimen": "regimen before the programme",
    "age_band": "age band at the enrolment start",
}


def patient_filters_text(report: Mapping[str, Any]) -> str | None:
    """The patient filters the cohort was limited by (None when there were none).

    >>> patient_filters_text({"cohort": {"filters": {"severity": ["severe", "mild"]}}})
    'severity severe or mild'
    """
    applied = report["cohort"].get("filters") or {}
    parts = []
    for key, value in applied.items():
        codes = value if isinstance(value, list) else [value]
        parts.append(f"{FILTER_NAMES.get(key, key)} {' or '.join(map(str, codes))}")
    return "; ".join(parts) or None


def methods_paragraphs(report: Mapping[str, Any]) -> list[str]:
    """The methods text, naming for each outcome the test that was actually run, and why."""
    entries = report["outcomes"]
    t_tested = [e for e in entries if e.get("test") and e["test"]["test"] == "paired_t"]
    wilcoxon = [e for e in entries if e.get("test") and e["test"]["test"] == "wilcoxon_signed_rank"]
    untested = [e for e in entries if not e.get("test")]
    baseline, follow_up = report["filter"]["timepoints"]
    limited = patient_filters_text(report)
    text = [
        (f"The cohort was limited to patients with {limited}. " if limited else "")
        + f"Each outcome was compared within patients between {baseline} and {follow_up}. "
        "The normality of the paired differences (follow-up minus baseline) was assessed "
        "with the Shapiro-Wilk test; differences with P ≥ 0.05 were treated as normally "
        "distributed."
    ]
    if t_tested:
        text.append(
            f"Normal differences ({_names(t_tested)}): values are mean ± SD and the paired "
            "t test was used."
        )
    if wilcoxon:
        text.append(
            f"Non-normal differences ({_names(wilcoxon)}): values are median (Q1, Q3), "
            "quartiles by the weighted average at (n + 1)p, and the Wilcoxon signed-rank test "
            "was used, with Z "
            "from the normal approximation with tie correction and without continuity correction."
        )
    if untested:
        reasons = "; ".join(f"{label(e['outcome'])}: {e['not_tested']}" for e in untested)
        text.append(f"Not tested ({reasons}).")
    convention = report["cohort"].get("age_band_convention")
    bands = f"; age band: {convention}" if convention else ""
    text.append(
        "Changes between groups (prior regimen, severity, hemophilia type, age band"
        f"{bands}) were compared with "
        "Student's or Welch's t test (chosen by Levene's test) for normal outcomes and the "
        "Mann-Whitney U test otherwise. All P values are two-sided; P < 0.05 was considered "
        "significant. The change was also modelled by ordinary least squares on age, "
        "severity, the baseline score and starting prophylaxis with the programme "
        "(statsmodels); a covariate that does not vary in the cohort is left out and named."
    )
    return text


def figures(source: OutcomesReportSource) -> list[Figure]:
    baseline, follow_up = source.report["filter"]["timepoints"]
    shown = [outcome for outcome in PLOTTED if outcome in source.pairs]
    result = []
    for outcome in shown:
        pairs = source.pairs[outcome]
        title = label(outcome).split(" (")[0]  # short enough for the plot's width
        result.append(
            Figure(
                f"{label(outcome)}: paired values",
                Markup(outcome_plots.paired_lines(title, (baseline, follow_up), pairs)),
            )
        )
        result.append(
            Figure(
                f"{label(outcome)}: distribution",
                Markup(outcome_plots.box_plot(title, (baseline, follow_up), pairs)),
            )
        )
    if BLEEDS in source.pairs:
        bars = outcome_plots.bleed_bars(
            "Joint bleeds", ("12 weeks before", "12 weeks during"), source.pairs[BLEEDS]
        )
        result.append(Figure("Joint bleeds before versus during the programme", Markup(bars)))
    return result + _heat_map_figures(source) + _abr_figures(source)


HEAT_MAP_TITLES = {
    "hjhs": "HJHS joint score",
    "head_us": "HEAD-US joint score",
    "head_us_c": "HEAD-US-C joint score",
}


def _heat_map_figures(source: OutcomesReportSource) -> list[Figure]:
    result = []
    for heat in source.heat_maps:
        title = HEAT_MAP_TITLES.get(heat.instrument, heat.instrument)
        svg = outcome_plots.heat_map(
            f"{title}: mean per joint", heat.timepoints, heat.joints, heat.means
        )
        counts = ", ".join(
            f"{timepoint}: n = {max(row, default=0)}"
            for timepoint, row in zip(heat.timepoints, heat.counts, strict=True)
        )
        caption = f"{title}, mean per joint and timepoint (patients assessed, {counts})"
        result.append(Figure(caption, Markup(svg), wide=True))
    return result


def _abr_figures(source: OutcomesReportSource) -> list[Figure]:
    periods = source.abr_periods
    if not periods:
        return []
    width = periods[1].start_week - periods[0].start_week if len(periods) > 1 else 4
    svg = outcome_plots.abr_over_time(
        "Joint ABR of the cohort",
        [p.start_week for p in periods],
        width,
        [p.joint_abr for p in periods],
    )
    caption = (
        f"Joint ABR per {width}-week period, weeks from each patient's enrolment start "
        f"(programme start dashed; {periods[0].patients} patients)"
    )
    return [Figure(caption, Markup(svg), wide=True)]


def _exclusions(report: Mapping[str, Any]) -> list[tuple[str, int, int, str]]:
    lines = []
    for entry in report["outcomes"]:
        counts = ", ".join(
            f"{reason}: {count}" for reason, count in sorted(entry["exclusion_counts"].items())
        )
        lines.append((label(entry["outcome"]), entry["n"], entry["n_excluded"], counts or NONE))
    return lines


def build_view(source: OutcomesReportSource) -> dict[str, Any]:
    report = source.report
    provisional = [i for i in source.instruments if i.status == Status.PROVISIONAL.value]
    return {
        "filter": report["filter"],
        "patients": report["cohort"]["patients"],
        "patient_filters": patient_filters_text(report) or "none (every enrolled patient)",
        "rows": table_rows(report),
        "outcome_tables": outcome_tables(report, label),
        "methods": methods_paragraphs(report),
        "figures": figures(source),
        "exclusions": _exclusions(report),
        "instruments": source.instruments,
        "any_provisional": bool(provisional),
        "database": source.database,
        "version": source.hemojoint_version,
        "generated_at": source.generated_at.isoformat(timespec="seconds"),
    }


# --- rendering ----------------------------------------------------------------------------


def render_html(source: OutcomesReportSource) -> str:
    """The report as one self-contained HTML page (styles and figures inline)."""
    return TEMPLATES.get_template(TEMPLATE).render(view=build_view(source))


def render_pdf(source: OutcomesReportSource) -> bytes:
    """The same HTML printed to an A4 PDF by WeasyPrint, fetching nothing."""
    return html_to_pdf(render_html(source))


def printable_source(
    data: OutcomesReportData, *, database_url: str, generated_at: datetime
) -> OutcomesReportSource:
    """What the HTML/PDF report is drawn from: the CLI and the API print the same."""
    return OutcomesReportSource(
        report=data.report,
        pairs=data.pairs,
        instruments=[InstrumentLine(i.code, i.version, i.status) for i in data.instruments],
        database=make_url(database_url).render_as_string(hide_password=True),
        hemojoint_version=__version__,
        generated_at=generated_at,
        heat_maps=data.heat_maps,
        abr_periods=data.abr_periods,
    )
