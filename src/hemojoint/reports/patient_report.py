"""The individual patient report for a clinic visit or a referral: HTML and PDF, en and zh-Hans.

The data come from :func:`hemojoint.services.patient_report.patient_report_data`
(scope 404, role 403, audited). This module only lays them out: identity, joint
scores over time per joint (HJHS and ultrasound, provisional definitions marked),
a small SVG of the totals, the latest CHO-KLAT, bleeds and ABR over the last 12
months, target joints, the current regimen and the programme, then a footer with
the date, the provenance, the clinical-judgement line and, for a synthetic patient,
the synthetic-data label. Everything is escaped except the SVG we draw; the PDF
fetches nothing (``rendering.html_to_pdf``). Words live in
``patient_report_labels.json`` (one block per language, same keys).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import matplotlib.pyplot as plt
from markupsafe import Markup
from sqlalchemy.orm import Session

from hemojoint import __version__
from hemojoint.domain.errors import DefinitionError, FieldProblem, InvalidInputError
from hemojoint.reports import outcome_plots
from hemojoint.reports.rendering import TEMPLATES, html_to_pdf
from hemojoint.services.actor import Actor
from hemojoint.services.patient_report import patient_report_data

TEMPLATE = "patient_report.html.j2"
LABELS_FILE = "patient_report_labels.json"
LANGUAGES = ("en", "zh-Hans")
FORMATS = ("html", "pdf")
INSTRUMENT_NAMES = {"hjhs": "HJHS", "head_us": "HEAD-US", "head_us_c": "HEAD-US-C"}


@cache
def labels(language: str) -> Mapping[str, Any]:
    """The label block of ``language`` (checked: every language has the same keys)."""
    text = resources.files(__package__).joinpath(LABELS_FILE).read_text(encoding="utf-8")
    table = json.loads(text)
    keys = {name: set(table.get(name) or {}) for name in LANGUAGES}
    if any(found != keys["en"] for found in keys.values()) or not keys["en"]:
        raise DefinitionError(f"{LABELS_FILE} needs the same keys for each of {LANGUAGES}")
    block: Mapping[str, Any] = table[language]
    return block


# --- the view ------------------------------------------------------------------------------------


def _cell(value: Any, t: Mapping[str, Any], *, examined: bool) -> str:
    if not examined:
        return str(t["not_examined"])
    return str(t["not_evaluable"]) if value is None else f"{value:g}"


def joint_table(
    exams: Sequence[Mapping[str, Any]], joints: Sequence[str], t: Mapping[str, Any]
) -> dict[str, Any]:
    """Rows of joints by columns of exams (oldest first), then the total row."""
    rows = []
    for joint in joints:
        cells = [
            _cell(exam["joint_totals"].get(joint), t, examined=joint in exam["joint_totals"])
            for exam in exams
        ]
        if any(cell != t["not_examined"] for cell in cells):
            rows.append((t["joints"].get(joint, joint), cells))
    totals = [_total(exam, t) for exam in exams]
    return {"columns": [_column(exam, t) for exam in exams], "rows": rows, "totals": totals}


def _total(exam: Mapping[str, Any], t: Mapping[str, Any]) -> str:
    if exam["total"] is not None:
        return f"{exam['total']:g}"
    partial = exam.get("partial_total")
    shown = "" if partial is None else f" ({t['partial_total']} {partial:g})"
    return f"{t['not_evaluable']}{shown}"


def _column(exam: Mapping[str, Any], t: Mapping[str, Any]) -> dict[str, Any]:
    name = INSTRUMENT_NAMES.get(exam["instrument"], exam["instrument"])
    tier = None
    if exam["tier_level"] is not None:
        tier = str(t["tier_value"]).format(level=exam["tier_level"], name=name)
    return {
        "date": exam["date"],
        "instrument": name,
        "version": exam["version"],
        "tier": tier,
        "provisional": exam["provisional"],
    }


def totals_figure(data: Mapping[str, Any]) -> Markup | None:
    """HJHS and ultrasound totals over time as inline SVG (no words: the caption translates)."""
    series = [("HJHS", data["hjhs"])] + [
        (name, [e for e in data["ultrasound"] if e["instrument"] == code])
        for code, name in INSTRUMENT_NAMES.items()
        if code != "hjhs"
    ]
    drawn = [(name, [e for e in exams if e["total"] is not None]) for name, exams in series]
    drawn = [(name, exams) for name, exams in drawn if exams]
    if not drawn:
        return None
    figure, axes = plt.subplots(figsize=(outcome_plots.HEAT_MAP_WIDTH_INCHES, 2.4))
    first = min(date.fromisoformat(e["date"]) for _name, exams in drawn for e in exams)
    ticks: set[str] = set()
    for name, exams in drawn:
        # Days from the first exam on the x axis, so the spacing follows the calendar.
        x = [(date.fromisoformat(e["date"]) - first).days for e in exams]
        axes.plot(x, [e["total"] for e in exams], marker="o", linewidth=1, label=name)
        ticks.update(e["date"] for e in exams)
    shown = sorted(ticks)
    axes.set_xticks([(date.fromisoformat(day) - first).days for day in shown], shown)
    axes.tick_params(labelsize=7)
    axes.set_ylim(bottom=0)
    axes.legend(fontsize=7)
    figure.autofmt_xdate()  # slanted date labels never overlap
    figure.tight_layout()
    return Markup(outcome_plots.svg_of(figure))


def build_view(data: Mapping[str, Any], language: str) -> dict[str, Any]:
    t = labels(language)
    exams = [*data["hjhs"], *data["ultrasound"]]
    if data["choklat"]:
        exams.append(data["choklat"])
    return {
        "data": data,
        "hjhs": joint_table(data["hjhs"], data["joints"], t),
        "ultrasound": joint_table(data["ultrasound"], data["joints"], t),
        "any_provisional": any(exam["provisional"] for exam in exams),
        "figure": totals_figure(data),
        "version": __version__,
    }


# --- rendering -----------------------------------------------------------------------------------


def render_html(data: Mapping[str, Any], language: str) -> str:
    """One self-contained HTML page (styles and the figure inline)."""
    return TEMPLATES.get_template(TEMPLATE).render(
        view=build_view(data, language), t=labels(language)
    )


def render_patient_report(
    session: Session, actor: Actor, patient_id: int, *, fmt: str, lang: str, today: date
) -> bytes:
    """The report of one visible patient as UTF-8 HTML or an A4 PDF (for the web and the CLI)."""
    _check_choice("format", fmt, FORMATS)
    _check_choice("lang", lang, LANGUAGES)
    data = patient_report_data(session, actor, patient_id, today=today)
    html = render_html(data, lang)
    return html.encode("utf-8") if fmt == "html" else html_to_pdf(html)


def _check_choice(field: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise InvalidInputError.single(FieldProblem.not_one_of(field, value, allowed))
