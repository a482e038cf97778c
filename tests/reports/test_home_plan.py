# ruff: noqa: RUF001 - Chinese texts use full-width punctuation; doses print a times sign.
"""The printable home plan: what the family reads (HTML) and prints (PDF), in English and Chinese.

Expected texts come from the exercise library (``definitions/exercise_library.json``),
the label table (``reports/home_plan_labels.json``) and the programme's rules
(REFERENCE.md section 1: home intensity from 25 % rising to 75 %; game variants at
7 or younger); never from running the renderer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hemojoint.reports.home_plan import render_html, render_pdf
from hemojoint.reports.labels import Language, label_keys
from tests.support.home_plan_builders import (
    example_plan,
    home_plan_source,
    library,
    week_sessions,
)

POPPLER_NEEDED = (
    "poppler-utils (pdftoppm, pdftotext, pdffonts) must be installed: apt-get install poppler-utils"
)


@pytest.fixture(scope="module")
def young_child() -> dict[str, Any]:
    """The plan of examples/plan/young_child.json: born 2019-03-02, so 6 years old (game variants)."""
    return example_plan("young_child")


def _names(content: dict[str, Any], week: int, language: str) -> list[str]:
    lib = library()
    codes = [e["code"] for e in week_sessions(content, week)[0]["exercises"]]
    return [lib.get(code).name.as_dict()[language] for code in codes]


def _unescaped(html: str) -> str:
    return html.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")


# --- HTML ----------------------------------------------------------------------------------


def test_week_lists_its_home_exercises_with_instructions_and_game(young_child) -> None:
    html = _unescaped(render_html(home_plan_source(young_child), Language.EN, [3]))
    lib = library()
    exercises = week_sessions(young_child, 3)[0]["exercises"]
    assert exercises, "the example plan has home exercises in week 3"
    for planned in exercises:
        exercise = lib.get(planned["code"])
        assert exercise.name.en in html
        assert exercise.instructions.en in html
        # A 6-year-old gets the game variant of every exercise that has one (REFERENCE.md s.1).
        assert exercise.game_variant is not None
        assert exercise.game_variant.en in html
    assert "Week 3" in html
    assert "Week 2" not in html
    assert "Week 4" not in html


def test_dose_is_the_week_home_intensity_of_the_hospital_dose(young_child) -> None:
    html = render_html(home_plan_source(young_child), Language.EN, [3])
    # Week 3 home intensity: 25 + 50 x 2 / 11 = 34.1 -> 34 % (schedule ramp, REFERENCE.md s.1).
    assert "at 34 % of the hospital level" in html
    # Ankle pumps: library hospital dose 2 sets x 15 reps; 15 x 0.34 = 5.1 -> 5 times.
    assert "2 sets × 5 times" in html
    # Marching warm-up: 3 minutes whatever the intensity (warm-up is not training load).
    assert "3 min" in html


def test_every_week_when_none_is_chosen(young_child) -> None:
    html = render_html(home_plan_source(young_child), Language.EN)
    assert re.findall(r'<section class="week" id="week-(\d+)"', html) == [
        str(week) for week in range(1, 13)
    ]


def test_chinese_plan_uses_chinese_labels_and_texts(young_child) -> None:
    html = _unescaped(render_html(home_plan_source(young_child), Language.ZH_HANS, [3]))
    assert '<html lang="zh-Hans">' in html
    for label in ("家庭训练计划", "第 3 周", "安全第一", "游戏玩法", "训练量", "立即去医院"):
        assert label in html
    for name in _names(young_child, 3, "zh-Hans"):
        assert name in html
    # No English label is left: the English title and section names are absent.
    for english in ("Home exercise plan", "Safety first", "How much", "Play it as a game"):
        assert english not in html


def test_chinese_dates_and_joints() -> None:
    content = {
        "sessions": [
            _session("2026-01-05", "hospital", []),
            _session(
                "2026-01-06", "home", [_exercise("rom_ankle_pumps", ["left_ankle", "right_ankle"])]
            ),
        ]
    }
    html = render_html(home_plan_source(content, programme_weeks=1), Language.ZH_HANS)
    assert "2026年1月5日（周一）" in html  # the programme's first day
    assert "1月6日（周二）" in html
    assert "针对：左踝和右踝" in html


def test_user_entered_text_is_escaped(young_child) -> None:
    source = home_plan_source(
        young_child,
        child_first_name="<script>alert('x')</script>",
        centre_name='Centre "A" & <b>B</b>',
    )
    html = render_html(source, Language.EN, [1])
    assert "<script>" not in html
    assert "<b>B</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "Centre &#34;A&#34; &amp; &lt;b&gt;B&lt;/b&gt;" in html


def test_safety_box_in_both_languages(young_child) -> None:
    english = render_html(home_plan_source(young_child), Language.EN, [1])
    chinese = render_html(home_plan_source(young_child), Language.ZH_HANS, [1])
    # Iliopsoas red flags, REFERENCE.md section 4.
    assert "pain in the groin, lower abdomen, hip, front of the thigh or lower back" in english
    assert "give factor at once and go to hospital" in english
    assert "腹股沟、下腹部、髋部、大腿前侧或下背部疼痛" in chinese
    assert "every exercise must stay pain-free" in english  # REFERENCE.md section 1
    assert "Contact Riverside Haemophilia Centre" in english


def test_provisional_library_is_marked_and_a_verified_one_is_not(young_child) -> None:
    provisional = render_html(home_plan_source(young_child), Language.EN, [1])
    assert (
        "Provisional content: these exercises (library version 2026-provisional-1)" in provisional
    )
    verified = home_plan_source(young_child, library=library(status="verified", version="2027-1"))
    assert "Provisional content" not in render_html(verified, Language.EN, [1])


def test_older_child_gets_no_game_variant() -> None:
    teenager = example_plan("teenager")  # born 2011: 14 at the start, standard variants only
    html = render_html(home_plan_source(teenager), Language.EN, [1])
    assert "Play it as a game" not in html
    assert all(e["variant"] == "standard" for s in teenager["sessions"] for e in s["exercises"])


def test_stored_content_without_week_or_dose_is_read_from_dates_and_library() -> None:
    content = {
        "sessions": [
            {"date": "2026-01-05", "kind": "hospital", "minutes": 60, "intensity_pct": 100,
             "exercises": [{"code": "rom_ankle_pumps", "variant": "game"}]},
            {"date": "2026-01-13", "kind": "home", "minutes": 45, "intensity_pct": 30,
             "exercises": [{"code": "rom_ankle_pumps", "variant": "game"}]},
        ]
    }  # fmt: skip
    html = render_html(home_plan_source(content, programme_weeks=2), Language.EN)
    week_1, week_2 = html.split('id="week-1"')[1].split('id="week-2"')
    assert "Hospital session: Mon 5 Jan 2026, 60 minutes" in week_1
    assert "No home sessions this week" in week_1
    # Library dose 2 x 15 reps at 30 %: 4.5 -> 5 (rounded half up, as the planner does).
    assert "2 sets × 5 times" in week_2


def test_exercise_missing_from_the_library_is_left_to_the_therapist() -> None:
    content = {"sessions": [_session("2026-01-06", "home", [_exercise("therapist_special", [])])]}
    html = render_html(home_plan_source(content, programme_weeks=1), Language.EN)
    assert "therapist_special" in html
    assert "Your therapist will show you this exercise." in html


def test_every_language_has_the_same_labels() -> None:
    keys = label_keys()
    assert keys["en"] == keys["zh-Hans"]


# --- PDF -----------------------------------------------------------------------------------


def _session(day: str, kind: str, exercises: list[dict[str, Any]], pct: int = 25) -> dict[str, Any]:
    minutes = 60 if kind == "hospital" else 45
    return {
        "date": day,
        "kind": kind,
        "minutes": minutes,
        "intensity_pct": pct,
        "exercises": exercises,
    }


def _exercise(code: str, joints: list[str]) -> dict[str, Any]:
    return {"code": code, "variant": "standard", "joints": joints, "sets": 2, "reps": 4,
            "hold_seconds": None, "minutes": None}  # fmt: skip


TWO_WEEKS = {
    "sessions": [
        _session("2026-01-05", "hospital", [], 100),
        _session("2026-01-06", "home", [_exercise("rom_ankle_pumps", ["left_ankle"])]),
        _session("2026-01-12", "hospital", [], 100),
        _session("2026-01-13", "home", [_exercise("rom_ankle_pumps", ["left_ankle"])], 30),
    ]
}


@pytest.fixture(scope="module", params=list(Language), ids=[lang.value for lang in Language])
def two_week_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = home_plan_source(TWO_WEEKS, programme_weeks=2, child_first_name="小明")
    path = tmp_path_factory.mktemp("pdf") / f"plan-{request.param.value}.pdf"
    path.write_bytes(render_pdf(source, request.param))
    return path


def _poppler(tool: str, *args: str) -> str:
    assert shutil.which(tool), POPPLER_NEEDED
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


def test_pdf_is_a_pdf(two_week_pdf: Path) -> None:
    assert two_week_pdf.read_bytes().startswith(b"%PDF-")


def test_pdf_has_a_cover_page_then_one_page_per_week(two_week_pdf: Path) -> None:
    # Cover with the safety box, then each week on a new page (print rule); both weeks are short.
    pages = _poppler("pdftotext", "-layout", str(two_week_pdf), "-").split("\f")[:-1]
    assert len(pages) == 3
    first_lines = [page.strip().splitlines()[0].strip() for page in pages]
    if "zh-Hans" in two_week_pdf.name:
        assert first_lines == ["家庭训练计划", "第 1 周 · 1月5日（周一） 至 1月11日（周日）",
                               "第 2 周 · 1月12日（周一） 至 1月18日（周日）"]  # fmt: skip
    else:
        assert first_lines == ["Home exercise plan", "Week 1 · Mon 5 Jan to Sun 11 Jan",
                               "Week 2 · Mon 12 Jan to Sun 18 Jan"]  # fmt: skip


def test_pdf_embeds_the_cjk_font_for_chinese_text(two_week_pdf: Path) -> None:
    # The child's name is Chinese in both languages: it must be drawn with Noto Sans CJK SC.
    fonts = _poppler("pdffonts", str(two_week_pdf))
    assert "Noto-Sans-CJK-SC" in fonts
    assert "小明" in _poppler("pdftotext", str(two_week_pdf), "-")


def test_first_page_renders_visible_text(two_week_pdf: Path, tmp_path: Path) -> None:
    """pdftoppm draws page 1; a printed page has ink but is mostly paper."""
    assert shutil.which("pdftoppm"), POPPLER_NEEDED
    root = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", "-singlefile", str(two_week_pdf),
         str(root)],
        check=True,
    )  # fmt: skip
    width, height, pixels = _read_pgm(root.with_suffix(".pgm").read_bytes())
    # A4 at 50 dpi: 8.27 x 11.69 in -> 413-414 x 584-585 pixels.
    assert (width, height) in {(413, 584), (414, 585), (413, 585), (414, 584)}
    dark = sum(1 for value in pixels if value < 128) / len(pixels)
    assert 0.01 < dark < 0.5, f"{dark:.3%} of the page is dark"


def _read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """A binary PGM (P5) as pdftoppm writes it: ``P5\\nW H\\n255\\n`` then a byte per pixel."""
    magic, size, maxval, pixels = data.split(b"\n", 3)
    width, height = (int(number) for number in size.split())
    assert (magic, maxval) == (b"P5", b"255")
    assert len(pixels) == width * height
    return width, height, pixels
