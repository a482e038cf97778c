"""``hemojoint stats paired|groups FILE.csv``: JSON or a table out; exit 2 and one stderr line.

Expected statistics for the shipped example CSV come from R 4.2.2
(tests/fixtures/r/make_fixtures.R -> statistics.json, "example_csv" and "groups"),
never from running hemojoint.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "stats" / "hjhs_before_after.csv")
FIXTURES = json.loads((ROOT / "tests" / "fixtures" / "r" / "statistics.json").read_text("utf-8"))
R_EXAMPLE: dict[str, Any] = FIXTURES["example_csv"]
PAIRED_ARGS = ("stats", "paired", EXAMPLE, "--before", "baseline", "--after", "week_12")


def close(expected: float) -> Any:
    return pytest.approx(expected, rel=1e-9, abs=1e-12)


def summary_of(describe_r: dict[str, Any]) -> dict[str, Any]:
    return {key: close(describe_r[key]) for key in ("n", "median", "q1", "q3", "mean", "sd")}


def iqr_cell(describe_r: dict[str, Any]) -> str:
    return f"{describe_r['median']:.2f} ({describe_r['q1']:.2f}, {describe_r['q3']:.2f})"


@pytest.fixture
def write_csv(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(text: str, name: str = "data.csv") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def assert_refused(result: Any, pattern: str) -> None:
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert re.search(pattern, result.stderr), result.stderr


# --- paired ------------------------------------------------------------------------------------


def test_paired_json_matches_r(run_cli: Any) -> None:
    result = run_cli(*PAIRED_ARGS)
    assert (result.code, result.stderr) == (0, "")
    output, expected = result.json(), R_EXAMPLE["paired"]
    # One row (HJ023) has no week_12 value: excluded and counted.
    assert (output["n"], output["excluded"]) == (expected["n"], expected["excluded"]) == (29, 1)
    for side in ("before", "after"):
        for key, value in summary_of(expected[f"describe_{side}"]).items():
            assert output[side][key] == value, (side, key)
    assert output["shapiro"]["w"] == pytest.approx(expected["shapiro_differences"]["w"], abs=1e-6)
    assert output["shapiro"]["p"] == pytest.approx(expected["shapiro_differences"]["p"], abs=1e-6)
    for key in ("w", "z", "p"):
        assert output["wilcoxon"][key] == close(expected["wilcoxon"][key]), key
    assert output["wilcoxon"]["p_exact"] is None  # ties and zero differences
    for key in ("t", "df", "p"):
        assert output["paired_t"][key] == close(expected["paired_t"][key]), key


def test_paired_table_has_the_reference_layout(run_cli: Any) -> None:
    result = run_cli(*PAIRED_ARGS, "--format", "table")
    assert (result.code, result.stderr) == (0, "")
    expected = R_EXAMPLE["paired"]
    header, row, *notes = result.stdout.splitlines()
    assert re.split(r"\s{2,}", header) == [
        "measure", "baseline (n=29)", "week_12 (n=29)", "Z", "P"
    ]  # fmt: skip
    assert re.split(r"\s{2,}", row) == [
        "hjhs_before_after",
        iqr_cell(expected["describe_before"]),
        iqr_cell(expected["describe_after"]),
        f"{expected['wilcoxon']['z']:.3f}",
        "<0.001",  # R: p = 9.39e-05
    ]
    assert "29 pairs analysed; 1 row excluded for a missing value." in notes


def test_label_names_the_measure(run_cli: Any) -> None:
    result = run_cli(*PAIRED_ARGS, "--format", "table", "--label", "HJHS total")
    assert result.stdout.splitlines()[1].startswith("HJHS total  ")


@pytest.mark.parametrize("token", ["", "NA", "NaN", "."], ids=["empty", "NA", "NaN", "spss-dot"])
def test_missing_tokens_exclude_the_row(run_cli: Any, write_csv: Any, token: str) -> None:
    path = write_csv(f"id,before,after\n1,3,1\n2,5,{token}\n3,4,2\n4,6,2\n5,2,0\n")
    output = run_cli("stats", "paired", path, "--before", "before", "--after", "after").json()
    assert (output["n"], output["excluded"]) == (4, 1)


def test_stdin_and_excel_bom(run_console_script: Any) -> None:
    csv_text = "\ufeffbefore,after\n3,1\n5,4\n4,2\n6,2\n2,0\n"
    result = run_console_script(
        "stats", "paired", "-", "--before", "before", "--after", "after", stdin=csv_text
    )
    assert (result.code, result.stderr) == (0, "")
    assert json.loads(result.stdout)["n"] == 5


def test_readme_demo_runs_as_the_console_script(run_console_script: Any) -> None:
    result = run_console_script(*PAIRED_ARGS, "--format", "table")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.startswith("measure")


# --- groups ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["groups_baseline", "groups_week_12"])
def test_groups_json_matches_r(run_cli: Any, case: str) -> None:
    expected = R_EXAMPLE[case]
    column = case.removeprefix("groups_")
    result = run_cli("stats", "groups", EXAMPLE, "--value", column, "--group", "prior_regimen")
    assert (result.code, result.stderr) == (0, "")
    output = result.json()
    assert output["excluded"] == expected["excluded"]
    assert list(output["groups"]) == [expected["name1"], expected["name2"]]
    for name, key in ((expected["name1"], "group1"), (expected["name2"], "group2")):
        for field, value in summary_of(expected[f"describe_{key}"]).items():
            assert output["groups"][name][field] == value, (name, field)
    for key in ("u", "z", "p"):
        assert output["mann_whitney"][key] == close(expected["mann_whitney"][key]), key
    t_test = output["t_test"]
    # R: Levene P = 0.107 (week_12) / see fixture; above 0.05 -> Student's row.
    assert expected["levene"]["p"] > 0.05
    assert t_test["method"] == "student"
    for key in ("t", "df", "p"):
        assert t_test[key] == close(expected["student"][key]), key
        assert t_test["welch"][key] == close(expected["welch"][key]), key
    assert t_test["levene"]["p"] == close(expected["levene"]["p"])


def test_groups_pick_welch_when_levene_rejects(run_cli: Any, write_csv: Any) -> None:
    data = FIXTURES["groups"]["unequal_variance"]  # R: Levene P = 0.00079
    rows = [f"a,{v}" for v in data["group1"]] + [f"b,{v}" for v in data["group2"]]
    path = write_csv("arm,score\n" + "\n".join(rows) + "\n")
    t_test = run_cli("stats", "groups", path, "--value", "score", "--group", "arm").json()["t_test"]
    assert t_test["method"] == "welch"
    for key in ("t", "df", "p"):
        assert t_test[key] == close(data["welch"][key]), key


def test_groups_table(run_cli: Any) -> None:
    expected = R_EXAMPLE["groups_week_12"]
    result = run_cli(
        "stats", "groups", EXAMPLE, "--value", "week_12", "--group", "prior_regimen",
        "--format", "table",
    )  # fmt: skip
    header, row, *notes = result.stdout.splitlines()
    assert re.split(r"\s{2,}", header) == [
        "measure", "on_demand (n=16)", "prophylaxis (n=13)", "Z", "P"
    ]  # fmt: skip
    assert re.split(r"\s{2,}", row) == [
        "week_12",
        iqr_cell(expected["describe_group1"]),
        iqr_cell(expected["describe_group2"]),
        f"{expected['mann_whitney']['z']:.3f}",
        f"{expected['mann_whitney']['p']:.3f}",
    ]
    assert any(note.startswith("Student t = ") for note in notes)


@pytest.mark.parametrize(
    ("groups", "found"),
    [
        (["a"], "1 groups ('a')"),
        (["a", "b", "c"], "3 groups ('a', 'b', 'c')"),
        (list("abcdef"), "6 groups ('a', 'b', 'c', 'd', 'e', and 1 more)"),
    ],
    ids=["one-group", "three-groups", "six-groups-listed-in-part"],
)
def test_groups_needs_exactly_two(
    run_cli: Any, write_csv: Any, groups: list[str], found: str
) -> None:
    rows = [f"{group},{value}" for group in groups for value in (1, 2, 3)]
    path = write_csv("arm,score\n" + "\n".join(rows) + "\n")
    result = run_cli("stats", "groups", path, "--value", "score", "--group", "arm")
    assert_refused(result, rf"column 'arm' \(--group\) has {re.escape(found)}; exactly 2")


# --- invalid input -----------------------------------------------------------------------------


def test_missing_column_names_the_columns_available(run_cli: Any) -> None:
    result = run_cli("stats", "paired", EXAMPLE, "--before", "baseline", "--after", "week12")
    assert_refused(
        result,
        r"no column 'week12' \(--after\); columns: patient_id, prior_regimen, baseline, week_12$",
    )


def test_non_numeric_cell_names_row_and_column(run_cli: Any, write_csv: Any) -> None:
    path = write_csv("id,before,after\n1,3,1\n2,5,4\n3,four,2\n")
    result = run_cli("stats", "paired", path, "--before", "before", "--after", "after")
    assert_refused(result, r"row 3 \(line 4\), column before: 'four' is not a number$")


def test_infinite_cell_is_not_a_number(run_cli: Any, write_csv: Any) -> None:
    path = write_csv("arm,score\na,1\na,inf\nb,2\nb,3\n")
    result = run_cli("stats", "groups", path, "--value", "score", "--group", "arm")
    assert_refused(result, r"row 2 \(line 3\), column score: 'inf' is not a number$")


def test_ragged_row_is_refused(run_cli: Any, write_csv: Any) -> None:
    path = write_csv("id,before,after\n1,3,1\n2,5\n")
    result = run_cli("stats", "paired", path, "--before", "before", "--after", "after")
    assert_refused(result, r"row 2 \(line 3\) has 2 fields, the header has 3$")


def test_all_zero_differences_are_refused(run_cli: Any, write_csv: Any) -> None:
    path = write_csv("before,after\n1,1\n2,2\n3,3\n4,4\n")
    result = run_cli("stats", "paired", path, "--before", "before", "--after", "after")
    assert_refused(result, r"^error: after: 4 pairs have after = before; the test needs a nonzero")


def test_constant_differences_are_refused(run_cli: Any, write_csv: Any) -> None:
    path = write_csv("before,after\n1,2\n2,3\n3,4\n4,5\n")
    result = run_cli("stats", "paired", path, "--before", "before", "--after", "after")
    assert_refused(result, r"^error: after: 1.0 is every after - before difference; the paired t")


def test_too_few_pairs_names_the_column(run_cli: Any, write_csv: Any) -> None:
    path = write_csv("baseline,week_12\n3,1\n")
    result = run_cli("stats", "paired", path, "--before", "baseline", "--after", "week_12")
    assert_refused(result, r"^error: baseline: 1 values given; at least 2 values needed$")


def test_missing_file(run_cli: Any) -> None:
    result = run_cli("stats", "paired", "/nonexistent.csv", "--before", "a", "--after", "b")
    assert_refused(result, r"/nonexistent.csv: no such file$")


def test_missing_kind_is_a_usage_error(run_cli: Any) -> None:
    assert_refused(run_cli("stats"), r"^hemojoint stats: the following arguments are required")


def test_unknown_format_is_a_usage_error(run_cli: Any) -> None:
    assert_refused(run_cli(*PAIRED_ARGS, "--format", "xml"), r"invalid choice: 'xml'")
