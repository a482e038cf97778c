"""The individual patient report: its data, HTML, zh-Hans labels, PDF and scope (issue 6).

Every expected value is worked out by hand in tests/support/patient_report_builders.py
from REFERENCE.md; the PDF's first page is rasterised with poppler's pdftoppm and must
carry ink, as tests/reports/test_outcomes_report.py checks the outcome report.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hemojoint.domain.errors import InvalidInputError
from hemojoint.persistence.models import AuditEntryRecord
from hemojoint.reports.patient_report import labels, render_patient_report
from hemojoint.services import auth
from hemojoint.services.errors import NotFoundError
from hemojoint.services.patient_report import patient_report_data
from tests.support.patient_report_builders import TODAY, seed_patient

INK_RANGE = (0.002, 0.5)  # a text page at 50 dpi (as the outcome report's test)
DARK_BELOW = 128


@pytest.fixture
def world(db: Session) -> dict[str, Any]:
    return seed_patient(db)


def _actor(world: dict[str, Any], who: str = "haem") -> Any:
    return auth.actor_for(world[who], "test")


def _data(db: Session, world: dict[str, Any]) -> dict[str, Any]:
    return patient_report_data(db, _actor(world), world["patient"].id, today=TODAY)


def test_identity_and_joint_scores(db: Session, world: dict[str, Any]) -> None:
    data = _data(db, world)
    patient = data["patient"]
    # Born 2016-05-17, seen 2026-06-30: 10 completed years and 1 month.
    assert patient["age"] == {"years": 10, "months": 1}
    assert (patient["severity"], patient["factor_activity_iu_dl"]) == ("severe", 0.5)
    assert patient["inhibitor"] == {
        "status": "negative",
        "sample_date": "2026-01-02",
        "titre_bu_ml": 0.0,
    }
    # HJHS left ankle: swelling 2 + flexion loss 2 = 4, then swelling 1 = 1 (HJHS 2.1).
    assert [(e["date"], e["joint_totals"]["left_ankle"], e["total"]) for e in data["hjhs"]] == [
        ("2026-01-05", 4, 4.0),
        ("2026-03-30", 1, 1.0),
    ]
    # HEAD-US knee 1 + 2 + 0 = 3 at tier 2 (verified); HEAD-US-C at tier 3 (provisional).
    ultrasound = [
        (e["instrument"], e["tier_level"], e["total"], e["provisional"]) for e in data["ultrasound"]
    ]
    assert ultrasound == [("head_us", 2, 3.0, False), ("head_us_c", 3, 14.0, True)]
    # CHO-KLAT: every item scores 2, so 25 x 2 = 50.0; its scoring is provisional.
    assert (data["choklat"]["total"], data["choklat"]["provisional"]) == (50.0, True)


def test_bleeds_abr_and_target_joints(db: Session, world: dict[str, Any]) -> None:
    bleeds = _data(db, world)
    rate = bleeds["bleeds"]
    # Window 2025-07-01 to 2026-06-30: 365 observed days. Episodes: 3 right knee
    # (spontaneous), 1 left ankle (2 bleeds 48 h apart: one episode), 1 iliopsoas
    # (spontaneous, not a joint); the 2025-05-01 elbow bleed is before the window.
    assert rate["window"] == {"start": "2025-07-01", "end": "2026-07-01"}
    assert (rate["observed_days"], rate["total_count"], rate["joint_count"]) == (365, 5, 4)
    assert rate["spontaneous_count"] == 4
    # ABR = episodes / (days / 365.25): 5 x 365.25 / 365 = 5.0034247; 4 x 365.25 / 365.
    assert rate["total_abr"] == pytest.approx(5.0034246575, abs=1e-9)
    assert rate["joint_abr"] == pytest.approx(4.0027397260, abs=1e-9)
    # Third spontaneous right-knee bleed within 6 months on 2025-11-01: a target joint,
    # still one (no 12-month period after it has ended by 2026-06-30).
    assert bleeds["target_joints"] == [
        {
            "site": "right_knee",
            "became_target_on": "2025-11-01",
            "resolved_on": None,
            "is_target": True,
        }
    ]


def test_regimen_and_programme(db: Session, world: dict[str, Any]) -> None:
    data = _data(db, world)
    assert data["regimen"]["current"]["dose_iu_per_kg"] == 40.0
    programme = data["programme"]
    # Started Monday 2026-05-04; 2026-06-30 is day 57, so week 57 // 7 + 1 = 9.
    assert programme["week"] == 9
    # Two home sessions prescribed (both in week 1), one logged: 1 of 2 = 50 %.
    assert programme["adherence"]["overall"]["sessions"] == {
        "done": 1,
        "prescribed": 2,
        "pct": 50.0,
    }
    assert programme["goals"][0]["measure"] == "hjhs.left_ankle.flexion_loss"


def test_the_read_is_audited(db: Session, world: dict[str, Any]) -> None:
    _data(db, world)
    entities = db.scalars(
        select(AuditEntryRecord.entity).where(AuditEntryRecord.patient_id == world["patient"].id)
    ).all()
    assert "patient_report" in entities
    assert "patient" in entities  # the full-record read


def test_another_centres_patient_is_not_found(db: Session, world: dict[str, Any]) -> None:
    with pytest.raises(NotFoundError, match="patient"):
        render_patient_report(
            db, _actor(world, "outsider"), world["patient"].id, fmt="html", lang="en", today=TODAY
        )


def test_an_unknown_format_is_refused_by_name(db: Session, world: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError, match="format: 'docx' is not one of html, pdf"):
        render_patient_report(
            db, _actor(world), world["patient"].id, fmt="docx", lang="en", today=TODAY
        )


def _html(db: Session, world: dict[str, Any], lang: str) -> str:
    body = render_patient_report(
        db, _actor(world), world["patient"].id, fmt="html", lang=lang, today=TODAY
    )
    return body.decode("utf-8")


def test_html_shows_the_values_and_the_footer(db: Session, world: dict[str, Any]) -> None:
    html = _html(db, world, "en")
    assert "Wei Zhang" in html
    assert "PR-01" in html
    assert '<td class="num" id="total-abr">5.00</td>' in html
    assert '<td class="num" id="joint-abr">4.00</td>' in html
    assert "right knee: target joint since 2025-11-01" in html
    assert "tier 3 (HEAD-US-C)" in html
    assert "PROVISIONAL" in html
    assert "Week 9 of 12" in html
    assert "1 of 2 sessions (50.0 %) through week 8" in html
    assert "supports, not replaces, clinical judgement" in html
    assert "SYNTHETIC DATA" in html
    assert "Generated 2026-06-30" in html
    # One inline SVG figure and nothing fetched.
    assert html.count("<svg") == 1
    assert "<img" not in html
    assert "data:image" not in html
    assert set(re.findall(r'href="(.)', html)) <= {"#"}


def test_html_in_simplified_chinese(db: Session, world: dict[str, Any]) -> None:
    html = _html(db, world, "zh-Hans")
    zh = labels("zh-Hans")
    assert '<html lang="zh-Hans">' in html
    for key in ("title", "bleeds_title", "target_joints_title", "footer_judgement"):
        assert zh[key] in html
    # right knee, the Chinese (full-width) colon, "target joint since 2025-11-01"
    assert "右膝" + zh["colon"] + "自 2025-11-01 起为靶关节" in html
    assert "暂定" in html
    assert "Patient report" not in html


def test_labels_have_the_same_keys_in_each_language() -> None:
    assert set(labels("en")) == set(labels("zh-Hans"))


def test_pdf_first_page_is_a_printed_page(
    db: Session, world: dict[str, Any], tmp_path: Path
) -> None:
    body = render_patient_report(
        db, _actor(world), world["patient"].id, fmt="pdf", lang="zh-Hans", today=TODAY
    )
    assert body.startswith(b"%PDF")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(body)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "pdftoppm (poppler-utils) is needed to check the PDF pages"
    command = [pdftoppm, "-gray", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")]
    subprocess.run(command, check=True)
    (image,) = tmp_path.glob("p*.pgm")
    magic, width, height, maximum, pixels = image.read_bytes().split(maxsplit=4)
    assert (magic, maximum) == (b"P5", b"255")
    count = int(width) * int(height)
    ink = sum(1 for value in pixels[:count] if value < DARK_BELOW) / count
    assert INK_RANGE[0] < ink < INK_RANGE[1]
