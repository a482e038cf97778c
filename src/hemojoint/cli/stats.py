"""``hemojoint stats paired|groups FILE.csv``: the study's statistics with SPSS conventions.

Reads a CSV with a header row (the csv module, UTF-8, an Excel BOM is ignored).
A cell that is empty, ``NA``, ``NaN`` or ``.`` (SPSS's system-missing) is
missing: a row with a missing value in a column the test uses is excluded and
counted. Any other cell that is not a finite number is an error naming its row.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemojoint.cli.io import InputFileError, read_text
from hemojoint.domain.statistics import (
    Descriptive,
    IndependentTResult,
    MannWhitneyResult,
    ShapiroResult,
    TTestResult,
    WilcoxonResult,
    describe,
    format_median_iqr,
    format_p,
    independent_t,
    mann_whitney,
    paired_t,
    shapiro_wilk,
    wilcoxon_signed_rank,
)

MISSING = frozenset({"", "na", "nan", "."})
FORMATS = ("json", "table")
GROUPS_SHOWN = 5  # group names listed when --group does not give exactly two


def register(subparsers: Any) -> None:
    stats = subparsers.add_parser("stats", help="before/after or two-group statistics from a CSV")
    kinds = stats.add_subparsers(dest="kind", metavar="paired|groups", required=True)
    paired = kinds.add_parser(
        "paired", help="Wilcoxon signed-rank and paired t-test of AFTER - BEFORE"
    )
    paired.add_argument("--before", required=True, metavar="COL", help="column before")
    paired.add_argument("--after", required=True, metavar="COL", help="column after")
    groups = kinds.add_parser("groups", help="Mann-Whitney U and t-test between two groups")
    groups.add_argument("--value", required=True, metavar="COL", help="column to compare")
    groups.add_argument("--group", required=True, metavar="COL", help="column naming the group")
    for parser, handler in ((paired, paired_file), (groups, groups_file)):
        parser.add_argument("file", help="CSV file with a header row, or - for standard input")
        parser.add_argument("--format", choices=FORMATS, default="json", help="default: json")
        parser.add_argument(
            "--label", help="measure name in the table (default: file name or --value column)"
        )
        parser.set_defaults(handler=handler)


# --- reading the CSV ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One complete data row: where it is in the file and its cells in the columns asked for."""

    number: int  # 1 = the first data row below the header
    line: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    excluded: int  # rows with a missing value in a used column


def read_table(path: str, wanted: Sequence[tuple[str, str]]) -> Table:
    """The ``(column, option)`` pairs of ``wanted`` for every complete row of the CSV."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    header = [name.strip() for name in next(reader, [])]
    if header:
        header[0] = header[0].removeprefix("\ufeff")
    positions = [_position(path, header, column, option) for column, option in wanted]
    rows: list[Row] = []
    excluded = number = 0
    for fields in reader:
        if not any(cell.strip() for cell in fields):
            continue
        number += 1
        if len(fields) != len(header):
            raise InputFileError(
                f"{path}: row {number} (line {reader.line_num}) has {len(fields)} fields, "
                f"the header has {len(header)}"
            )
        cells = [fields[index].strip() for index in positions]
        if any(cell.lower() in MISSING for cell in cells):
            excluded += 1
        else:
            rows.append(Row(number, reader.line_num, cells))
    return Table(rows, excluded)


def _position(path: str, header: list[str], column: str, option: str) -> int:
    if column not in header:
        available = ", ".join(header) if header else "none (the file is empty)"
        raise InputFileError(f"{path}: no column {column!r} ({option}); columns: {available}")
    return header.index(column)


def numbers(path: str, table: Table, index: int, column: str) -> list[float]:
    """Cell ``index`` of every row as a finite number, or an error naming row and column."""
    values = []
    for row in table.rows:
        cell = row.cells[index]
        try:
            value = float(cell)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            where = f"row {row.number} (line {row.line}), column {column}"
            raise InputFileError(f"{path}: {where}: {cell!r} is not a number")
        values.append(value)
    return values


# --- paired ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairedReport:
    before_column: str
    after_column: str
    excluded: int
    before: Descriptive
    after: Descriptive
    difference: Descriptive
    shapiro: ShapiroResult
    wilcoxon: WilcoxonResult
    paired_t: TTestResult

    def as_json(self) -> dict[str, Any]:
        parts = ("before", "after", "difference", "shapiro", "wilcoxon", "paired_t")
        return {
            "before_column": self.before_column,
            "after_column": self.after_column,
            "n": self.before.n,
            "excluded": self.excluded,
            **{part: getattr(self, part).as_dict() for part in parts},
        }

    def as_table(self, measure: str) -> str:
        n, t_test = self.before.n, self.paired_t
        header = [f"{self.before_column} (n={n})", f"{self.after_column} (n={n})"]
        cells = [format_median_iqr(self.before), format_median_iqr(self.after)]
        notes = [
            "Median (Q1, Q3). Wilcoxon signed-rank test: Z tie-corrected, no continuity "
            "correction; two-sided asymptotic P.",
            f"Shapiro-Wilk of {self.after_column} - {self.before_column}: "
            f"W = {self.shapiro.w:.3f}, {p_clause(self.shapiro.p)}; "
            f"paired t = {t_test.t:.3f}, df = {t_test.df:g}, {p_clause(t_test.p)}.",
            counted(n, "pairs", self.excluded),
        ]
        return render(measure, header, cells, self.wilcoxon.z, self.wilcoxon.p, notes)


def paired_file(args: argparse.Namespace) -> dict[str, Any] | str:
    table = read_table(args.file, [(args.before, "--before"), (args.after, "--after")])
    before = numbers(args.file, table, 0, args.before)
    after = numbers(args.file, table, 1, args.after)
    labels = (args.before, args.after)
    difference_name = f"{args.after} - {args.before}"
    differences = [a - b for b, a in zip(before, after, strict=True)]
    report = PairedReport(
        before_column=args.before,
        after_column=args.after,
        excluded=table.excluded,
        before=describe(before, field=args.before),
        after=describe(after, field=args.after),
        # The tests before Shapiro-Wilk, so that all-zero or constant differences are
        # reported by the test they make impossible.
        wilcoxon=wilcoxon_signed_rank(before, after, labels=labels),
        paired_t=paired_t(before, after, labels=labels),
        difference=describe(differences, field=difference_name),
        shapiro=shapiro_wilk(differences, field=difference_name),
    )
    if args.format == "table":
        file_name = "value" if args.file == "-" else Path(args.file).stem
        return report.as_table(args.label or file_name)
    return report.as_json()


# --- groups ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupsReport:
    value_column: str
    group_column: str
    excluded: int
    groups: dict[str, Descriptive]
    mann_whitney: MannWhitneyResult
    t_test: IndependentTResult

    def as_json(self) -> dict[str, Any]:
        levene = self.t_test.levene
        return {
            "value_column": self.value_column,
            "group_column": self.group_column,
            "n": sum(summary.n for summary in self.groups.values()),
            "excluded": self.excluded,
            "groups": {name: summary.as_dict() for name, summary in self.groups.items()},
            "mann_whitney": self.mann_whitney.as_dict(),
            "t_test": {
                **self.t_test.preferred().as_dict(),
                "choice": "welch when Levene's P < 0.05 or Levene is undefined, else student",
                "levene": None if levene is None else levene.as_dict(),
                "student": self.t_test.student.as_dict(),
                "welch": self.t_test.welch.as_dict(),
            },
        }

    def as_table(self, measure: str) -> str:
        header = [f"{name} (n={summary.n})" for name, summary in self.groups.items()]
        cells = [format_median_iqr(summary) for summary in self.groups.values()]
        t_test, levene = self.t_test.preferred(), self.t_test.levene
        levene_text = "undefined" if levene is None else p_clause(levene.p)
        notes = [
            f"Median (Q1, Q3). Mann-Whitney U = {self.mann_whitney.u:g}: Z tie-corrected, "
            "no continuity correction; two-sided asymptotic P.",
            f"{t_test.method.capitalize()} t = {t_test.t:.3f}, df = {t_test.df:.4g}, "
            f"{p_clause(t_test.p)} (Levene's test {levene_text}).",
            counted(self.mann_whitney.n1 + self.mann_whitney.n2, "rows", self.excluded),
        ]
        return render(measure, header, cells, self.mann_whitney.z, self.mann_whitney.p, notes)


def groups_file(args: argparse.Namespace) -> dict[str, Any] | str:
    table = read_table(args.file, [(args.value, "--value"), (args.group, "--group")])
    samples = two_groups(args, table, numbers(args.file, table, 0, args.value))
    (name1, group1), (name2, group2) = samples.items()
    report = GroupsReport(
        value_column=args.value,
        group_column=args.group,
        excluded=table.excluded,
        groups={name: describe(values, field=name) for name, values in samples.items()},
        mann_whitney=mann_whitney(group1, group2, labels=(name1, name2)),
        t_test=independent_t(group1, group2, labels=(name1, name2)),
    )
    return report.as_table(args.label or args.value) if args.format == "table" else report.as_json()


def two_groups(
    args: argparse.Namespace, table: Table, values: list[float]
) -> dict[str, list[float]]:
    """The values by group, in order of first appearance; exactly two groups allowed."""
    samples: dict[str, list[float]] = {}
    for row, value in zip(table.rows, values, strict=True):
        samples.setdefault(row.cells[1], []).append(value)
    if len(samples) != 2:
        names = [repr(name) for name in samples]
        if len(names) > GROUPS_SHOWN:
            names[GROUPS_SHOWN:] = [f"and {len(names) - GROUPS_SHOWN} more"]
        found = ", ".join(names) or "none"
        raise InputFileError(
            f"{args.file}: column {args.group!r} (--group) has {len(samples)} groups "
            f"({found}); exactly 2 are needed"
        )
    return samples


# --- rendering ---------------------------------------------------------------------------------


def p_clause(p: float) -> str:
    """``"P = 0.095"`` or ``"P < 0.001"``."""
    text = format_p(p)
    return f"P {text[0]} {text[1:]}" if text.startswith("<") else f"P = {text}"


def counted(n: int, unit: str, excluded: int) -> str:
    if excluded == 0:
        return f"{n} {unit} analysed."
    noun = "row" if excluded == 1 else "rows"
    return f"{n} {unit} analysed; {excluded} {noun} excluded for a missing value."


def render(
    measure: str, header: list[str], cells: list[str], z: float, p: float, notes: list[str]
) -> str:
    """The reference's layout: measure, two "median (Q1, Q3)" cells, Z, P; then notes."""
    rows = [["measure", *header, "Z", "P"], [measure, *cells, f"{z:.3f}", format_p(p)]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join([*lines, "", *notes])
