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
from matplotlib.axes import Axes
from matplotlib.figure import Figure

Pairs = Sequence[tuple[float, float]]
SIZE_INCHES = (3.2, 2.6)


def paired_lines(title: str, labels: tuple[str, str], pairs: Pairs) -> str:
    """One line per patient from the first timepoint to the second."""
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    for before, after in pairs:
        axes.plot([0, 1], [before, after], marker="o", color="#1f4e79", alpha=0.7, linewidth=1)
    _finish(figure, axes, title, labels, pairs)
    return _svg(figure)


def box_plot(title: str, labels: tuple[str, str], pairs: Pairs) -> str:
    """Box plots of the values at the two timepoints (quartiles as matplotlib draws them)."""
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    if pairs:
        columns = [[pair[0] for pair in pairs], [pair[1] for pair in pairs]]
        axes.boxplot(columns, positions=[0, 1], widths=0.5)
    _finish(figure, axes, title, labels, pairs)
    return _svg(figure)


def bleed_bars(title: str, labels: tuple[str, str], pairs: Pairs) -> str:
    """Total joint bleeds of the included patients in the two windows."""
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    totals = [sum(pair[0] for pair in pairs), sum(pair[1] for pair in pairs)]
    bars = axes.bar([0, 1], totals, color=["#7f7f7f", "#1f4e79"], width=0.6)
    axes.bar_label(bars, fmt="%g")
    axes.set_ylabel("joint bleeds (all patients)")
    _finish(figure, axes, title, labels, pairs)
    return _svg(figure)


def _finish(figure: Figure, axes: Axes, title: str, labels: tuple[str, str], pairs: Pairs) -> None:
    axes.set_title(f"{title} (n = {len(pairs)})", fontsize=9)
    axes.set_xticks([0, 1], list(labels))
    axes.set_xlim(-0.5, 1.5)
    if not pairs:
        axes.text(0.5, 0.5, "no complete pairs", transform=axes.transAxes, ha="center")
    figure.tight_layout()


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prologue and DOCTYPE for inline use
