"""``hemojoint report outcomes --format html|pdf`` on the small seeded cohort.

The cohort is tests/support/outcome_builders.py; its HJHS total is known from R 4.2.2
(tests/services/test_outcomes.py): mean 6.00 ± 2.61 at baseline, paired t = -2.911.
The PDF is checked as an image: its first page, rasterised by poppler's pdftoppm,
must carry ink (a blank or broken page would not).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape

from hemojoint import __version__
from hemojoint.cli import main
from hemojoint.persistence.db import make_engine, session_factory
from hemojoint.reports.outcomes_report import label
from tests.support.operations_builders import fresh_database
from tests.support.outcome_builders import seed_cohort

FILTERS = ["--centre", "OUT1", "--from", "2026-01-01", "--to", "2026-12-31"]
# A text page at 50 dpi: well above an empty page, far below a page filled black.
INK_RANGE = (0.002, 0.5)
DARK_BELOW = 128  # grey level (0-255) counted as ink


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    if request.param == "postgresql" and not _postgres_configured():
        pytest.fail("HEMOJOINT_TEST_POSTGRES_URL is not set: run with the PostgreSQL server")
    with fresh_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        with session_factory(engine)() as session:
            seed_cohort(session)
            session.commit()
        engine.dispose()
        monkeypatch.setenv("HEMOJOINT_DATABASE_URL", url)
        yield url


def _postgres_configured() -> bool:
    return bool(os.environ.get("HEMOJOINT_TEST_POSTGRES_URL"))


def _report(kind: str, out: Path) -> None:
    assert main(["report", "outcomes", *FILTERS, "--format", kind, "--out", str(out)]) == 0


def test_html_has_table_1_methods_figures_and_provenance(seeded: str, tmp_path: Path) -> None:
    _report("json", tmp_path / "r.json")
    _report("html", tmp_path / "r.html")
    analysis = json.loads((tmp_path / "r.json").read_text("utf-8"))
    html = (tmp_path / "r.html").read_text("utf-8")
    # Every Table-1 cell of the JSON analysis, exactly as formatted there.
    for entry in analysis["outcomes"]:
        assert str(escape(label(entry["outcome"]))) in html
        if entry["row"] is not None:
            for cell in ("baseline", "follow_up", "statistic", "p"):
                assert str(escape(entry["row"][cell])) in html
    assert "6.00 ± 2.61" in html
    assert "t = -2.911" in html
    # The methods name the tests that were actually chosen for each outcome.
    tests = {entry["outcome"]: (entry["test"] or {}).get("test") for entry in analysis["outcomes"]}
    assert tests["hjhs_total"] == "paired_t"
    methods = html.split("<h2>Methods</h2>")[1].split("<h2>")[0]
    assert "Shapiro-Wilk" in methods
    assert "two-sided" in methods
    assert "P &lt; 0.05" in methods
    normal = methods.split("Normal differences (")[1].split(")")[0]
    assert label("hjhs_total") in normal
    for outcome, test in tests.items():
        if test == "wilcoxon_signed_rank":
            wilcoxon = methods.split("Non-normal differences (")[1].split("):")[0]
            assert str(escape(label(outcome))) in wilcoxon
            assert "tie correction and without continuity correction" in methods
    # Figures are inline SVG: 3 outcomes x paired lines and box plot, the bleed bars,
    # heat maps for HJHS, HEAD-US and HEAD-US-C (the seeded cohort has all three), ABR.
    assert html.count("<svg") == 11
    assert html.count('<figure class="wide">') == 4
    # Change by group, one table per tested outcome, a row per factor incl. the age band.
    groups = html.split("<h2>Change by group</h2>")[1].split("<h2>")[0]
    tested = [entry for entry in analysis["outcomes"] if entry["test"] is not None]
    assert groups.count('<table class="groups">') == len(tested)
    assert groups.count("<td>Age band") == len(tested)
    # HJHS total by prior regimen, as the JSON formats it (R values: tests/services).
    prior = next(g for g in analysis["outcomes"][0]["groups"] if g["factor"] == "prior_regimen")
    assert f"{prior['groups'][0]} (n = {prior['n'][0]})" in groups
    assert str(escape(prior["change"][0])) in groups
    # The adjusted model names what it left out (age and severity never vary here).
    assert "left out (does not vary): Age (years), Severe hemophilia" in groups
    # Nothing is fetched: no images, and every reference is to an element of the page.
    assert "<img" not in html
    assert "src=" not in html
    assert set(re.findall(r'href="(.)', html)) <= {"#"}
    assert set(re.findall(r"url\((.)", html)) <= {"#"}
    # Provenance: database, centre, version, instruments used, exclusions with reasons.
    assert "OUT1" in html
    assert __version__ in html
    assert "hjhs" in html
    assert "missing_follow_up" in html
    assert seeded.split("@")[-1] in html  # the database, password hidden


def test_pdf_first_page_is_a_printed_page(seeded: str, tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    _report("pdf", pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "pdftoppm (poppler-utils) is needed to check the PDF pages"
    prefix = tmp_path / "page"
    command = [pdftoppm, "-gray", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(prefix)]
    subprocess.run(command, check=True)
    (image,) = tmp_path.glob("page*.pgm")
    ink = _dark_fraction(image.read_bytes())
    assert INK_RANGE[0] < ink < INK_RANGE[1]


def _dark_fraction(pgm: bytes) -> float:
    """Share of pixels darker than DARK_BELOW in a binary (P5, 8-bit) PGM image."""
    magic, width, height, maximum, pixels = pgm.split(maxsplit=4)
    assert (magic, maximum) == (b"P5", b"255")
    count = int(width) * int(height)
    data = pixels[:count]
    assert len(data) == count
    return sum(1 for value in data if value < DARK_BELOW) / count
