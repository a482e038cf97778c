"""REDCap-style export: one flat CSV per table (a REDCap form) and one data dictionary.

The dictionary has REDCap's own header (the columns of a data dictionary
downloaded from REDCap), one row per exported column, with the table as the
Form Name. Types map as REDCap expects them: coded values are ``dropdown``
fields whose choices are ``1, Label | 2, Label``; booleans are ``yesno`` (1/0);
dates are text validated ``date_ymd`` and instants ``datetime_ymd`` (UTC,
``YYYY-MM-DD HH:MM``); whole numbers ``integer`` and other numbers ``number``.
Identifying fields are marked ``y`` in "Identifier?".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from hemojoint.interop.tabular import Column, Kind, Table

DICTIONARY_HEADER = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)

_VALIDATION = {
    Kind.DATE: "date_ymd",
    Kind.DATETIME: "datetime_ymd",
    Kind.INTEGER: "integer",
    Kind.NUMBER: "number",
}


def field_type(column: Column) -> str:
    if column.kind is Kind.CODED:
        return "dropdown"
    if column.kind is Kind.BOOLEAN:
        return "yesno"
    return "text"


def choices(column: Column) -> str:
    if column.kind is not Kind.CODED:
        return ""  # yesno fields carry their own 1, Yes | 0, No
    return " | ".join(f"{number}, {label}" for number, label in column.value_labels().items())


def _bound(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def dictionary_row(table: Table, column: Column) -> dict[str, str]:
    row = dict.fromkeys(DICTIONARY_HEADER, "")
    row |= {
        "Variable / Field Name": column.name,
        "Form Name": table.name,
        "Field Type": field_type(column),
        "Field Label": column.label,
        "Choices, Calculations, OR Slider Labels": choices(column),
        "Text Validation Type OR Show Slider Number": _VALIDATION.get(column.kind, ""),
        "Identifier?": "y" if column.identifier else "",
    }
    if column.kind in (Kind.INTEGER, Kind.NUMBER):
        row["Text Validation Min"] = _bound(column.minimum)
        row["Text Validation Max"] = _bound(column.maximum)
    return row


def dictionary_text(tables: Sequence[Table]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=DICTIONARY_HEADER, lineterminator="\r\n")
    writer.writeheader()
    for table in tables:
        for column in table.columns:
            writer.writerow(dictionary_row(table, column))
    return out.getvalue()


def redcap_value(column: Column, value: Any) -> str:
    """A value as REDCap imports it (see the module docstring)."""
    if value is None:
        return ""
    if column.kind is Kind.CODED:
        return str(column.number_of(value))
    if column.kind is Kind.BOOLEAN:
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def data_text(table: Table) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.column_names)
    for row in table.rows:
        writer.writerow([redcap_value(column, row.get(column.name)) for column in table.columns])
    return out.getvalue()
