"""SPSS ``.sav`` files: one per table, with variable labels and value labels.

Coded variables are stored as numbers 1..n (the order of the codes in the
:class:`~hemojoint.interop.tabular.Column`) with the code labels as value labels;
booleans are 0/1 labelled No/Yes; dates are SPSS dates and instants SPSS datetimes
(UTC); text stays text. Missing numbers are system-missing; missing text is empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd  # type: ignore[import-untyped]
import pyreadstat

from hemojoint.interop.tabular import Column, Kind, Table

_MEASURE = {Kind.CODED: "nominal", Kind.BOOLEAN: "nominal", Kind.TEXT: "nominal"}
# Dates travel as pandas timestamps (microseconds: pyreadstat misreads other units) and the
# SPSS format makes them dates or datetimes, even in a column with no value at all.
_DTYPES = {
    Kind.CODED: "float64",
    Kind.BOOLEAN: "float64",
    Kind.INTEGER: "float64",
    Kind.NUMBER: "float64",
    Kind.DATE: "datetime64[us]",
    Kind.DATETIME: "datetime64[us]",
}
_FORMATS = {
    Kind.CODED: "F8.0",
    Kind.BOOLEAN: "F8.0",
    Kind.INTEGER: "F8.0",
    Kind.DATE: "DATE11",
    Kind.DATETIME: "DATETIME20",
}


def spss_value(column: Column, value: Any) -> Any:
    """The value as SPSS stores it (see the module docstring)."""
    if column.kind is Kind.TEXT:
        return "" if value is None else str(value)
    if value is None:
        return None
    if column.kind is Kind.CODED:
        return float(column.number_of(value))
    if column.kind in (Kind.BOOLEAN, Kind.INTEGER, Kind.NUMBER):
        return float(value)
    return pd.Timestamp(value)  # date / datetime: an SPSS date by the variable's format


def frame(table: Table) -> pd.DataFrame:
    data = {
        column.name: pd.Series(
            [spss_value(column, row.get(column.name)) for row in table.rows],
            dtype=_DTYPES.get(column.kind, "object"),
        )
        for column in table.columns
    }
    return pd.DataFrame(data, columns=table.column_names)


def write_sav(table: Table, path: Path) -> None:
    value_labels = {
        column.name: {float(k): v for k, v in column.value_labels().items()}
        for column in table.columns
        if column.kind in (Kind.CODED, Kind.BOOLEAN)
    }
    pyreadstat.write_sav(
        frame(table),
        str(path),
        file_label=table.label,
        column_labels={column.name: column.label for column in table.columns},
        variable_value_labels=value_labels,
        variable_measure={
            column.name: _MEASURE.get(column.kind, "scale") for column in table.columns
        },
        # Whole numbers without decimals (stored as doubles either way); dates as dates.
        variable_format={
            column.name: _FORMATS[column.kind]
            for column in table.columns
            if column.kind in _FORMATS
        },
    )
