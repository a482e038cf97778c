"""Figures of the outcome report, drawn with matplotlib (Agg) and returned as inline SVG.

Each figure is a self-contained ``<svg>`` element (text drawn as paths, so no
font or file is ever fetched) that the HTML embeds directly and WeasyPrint
prints. Only outcome names and numbers are drawn, never a patient's identity.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display: render to memory only

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

Pairs = Sequence[tuple[float, float]]
SIZE_INCHES = (3.2, 2.6)
HEAT_MAP_WIDTH_INCHES = 6.4


def paired_lines(title: str, labels: tuple[str, str], pairs: Pairs) -> str:
    """One line per patient from the first timepoint to the second."""
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    for before, after in pairs:
        axes.plot([0, 1], [before, after], marker="o", color="#1f4e79", alpha=0.7, linewidth=1)
    _finish(figure, axes, title, labels, pairs)
    return svg_of(figure)


def box_plot(title: str, labels: tuple[str, str], pairs: Pairs) -> str:
    """Box plots of the values at the two timepoints (quartiles as matplotlib draws them)."""
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    if pairs:
        columns = [[pair[0] for pair in pairs], [pair[1] for pair in pairs]]
        axes.boxplot(columns, positions=[0, 1], widths=0.5)
    _finish(figure, axes, title, labels, pairs)
    return svg_of(figure)


def bleed_bars(title: str, labels: tuple[str, str], pairs: Pairs) -> str:
    """Total joint bleeds of the included patients in the two windows."""
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    totals = [sum(pair[0] for pair in pairs), sum(pair[1] for pair in pairs)]
    bars = axes.bar([0, 1], totals, color=["#7f7f7f", "#1f4e79"], width=0.6)
    axes.bar_label(bars, fmt="%g")
    axes.set_ylabel("joint bleeds (all patients)")
    _finish(figure, axes, title, labels, pairs)
    return svg_of(figure)


def heat_map(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    means: Sequence[Sequence[float | None]],
) -> str:
    """Mean score per row (timepoint) and column (joint), each cell labelled with its value."""
    figure, axes = plt.subplots(figsize=(HEAT_MAP_WIDTH_INCHES, 2.2))
    grid = np.array([[np.nan if v is None else v for v in row] for row in means], dtype=float)
    # pcolormesh, not imshow, and no colour bar: both would embed a PNG data URL, which the
    # PDF printer refuses to fetch. Each cell prints its value instead.
    x_edges = np.arange(len(columns) + 1) - 0.5
    y_edges = np.arange(len(rows) + 1) - 0.5
    masked = np.ma.masked_invalid(grid)
    axes.pcolormesh(x_edges, y_edges, masked, cmap="Reds", vmin=0)
    axes.invert_yaxis()  # the first timepoint on top
    darkest = np.nanmax(grid) if np.isfinite(grid).any() else 0.0
    for (row, column), value in np.ndenumerate(grid):
        text = "\u2013" if np.isnan(value) else f"{value:.2f}"
        dark = not np.isnan(value) and value > darkest / 2  # white text on the darker reds
        colour = "white" if dark else "black"
        axes.text(column, row, text, ha="center", va="center", fontsize=7, color=colour)
    axes.set_xticks(range(len(columns)), [c.replace("_", " ") for c in columns], fontsize=7)
    axes.set_yticks(range(len(rows)), list(rows), fontsize=7)
    axes.set_title(title, fontsize=9)
    figure.tight_layout()
    return svg_of(figure)


def abr_over_time(
    title: str, start_weeks: Sequence[int], width_weeks: int, rates: Sequence[float]
) -> str:
    """The cohort's ABR per period as bars, with the programme start (week 0) marked."""
    figure, axes = plt.subplots(figsize=(HEAT_MAP_WIDTH_INCHES, 2.4))
    centres = [week + width_weeks / 2 for week in start_weeks]
    bars = axes.bar(centres, rates, width=width_weeks * 0.9, color="#1f4e79")
    axes.bar_label(bars, fmt="%.1f", fontsize=7)
    axes.axvline(0, color="#c00000", linestyle="--", linewidth=1)
    top = max(rates, default=0.0) * 1.3 or 1.0  # headroom for the bar labels and the mark
    axes.set_ylim(0, top)
    axes.text(0, top * 0.95, " programme start", color="#c00000", fontsize=7, va="top")
    axes.set_xlabel("weeks from the enrolment start", fontsize=8)
    axes.set_ylabel("joint ABR (bleeds/year)", fontsize=8)
    axes.set_title(title, fontsize=9)
    figure.tight_layout()
    return svg_of(figure)


def _finish(figure: Figure, axes: Axes, title: str, labels: tuple[str, str], pairs: Pairs) -> None:
    axes.set_title(f"{title} (n = {len(pairs)})", fontsize=9)
    axes.set_xticks([0, 1], list(labels))
    axes.set_xlim(-0.5, 1.5)
    if not pairs:
        axes.text(0.5, 0.5, "no complete pairs", transform=axes.transAxes, ha="center")
    figure.tight_layout()


def svg_of(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prologue and DOCTYPE for inline use
