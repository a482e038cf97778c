"""The joint map's geometry: a front view of a child, each joint a circle in two halves.

Pure: scores in, coordinates and colours out; ``templates/patients/_macros.html``
draws it. The left half of a joint's circle is its latest HJHS joint score, the
right half its latest ultrasound joint score, and both numbers are written on the
circle (colour is never the only signal).

Front view: the patient faces the reader, so the patient's RIGHT joints are on the
reader's LEFT (smaller x).

Colour bands (a display aid, not a clinical cut-off: REFERENCE.md gives none), by
the score as a share of that joint's maximum (HJHS 20 per joint; ultrasound the
maximum of the instrument per joint):

- ``none``: 0 points, green;
- ``mild``: above 0 up to 25 % of the maximum, yellow;
- ``moderate``: above 25 % up to 50 %, orange;
- ``marked``: above 50 %, red;
- ``unscored``: no score (not assessed, NE, or a tier without points: POCUS, mm), grey.
"""

from __future__ import annotations

from dataclasses import dataclass

RADIUS = 18
NO_SCORE = "\N{EN DASH}"
VIEWBOX = (0, 0, 240, 400)

# Centres of the joints in the viewBox (patient's right on the reader's left).
POSITIONS: dict[str, tuple[int, int]] = {
    "right_elbow": (50, 165),
    "left_elbow": (190, 165),
    "right_hip": (96, 215),
    "left_hip": (144, 215),
    "right_knee": (92, 295),
    "left_knee": (148, 295),
    "right_ankle": (92, 370),
    "left_ankle": (148, 370),
}

BAND_COLOURS: dict[str, str] = {
    "none": "#2e7d32",
    "mild": "#f9d71c",
    "moderate": "#ef6c00",
    "marked": "#c62828",
    "unscored": "#bdbdbd",
}
# Dark text on the light fills, white on the dark ones (contrast).
BAND_TEXT: dict[str, str] = {
    "none": "#ffffff",
    "mild": "#000000",
    "moderate": "#000000",
    "marked": "#ffffff",
    "unscored": "#000000",
}


def band(score: float | None, maximum: float | None) -> str:
    """The colour band of ``score`` out of ``maximum`` (see the module docstring).

    >>> band(0, 20), band(5, 20), band(6, 20), band(10, 20), band(11, 20), band(None, 20)
    ('none', 'mild', 'moderate', 'moderate', 'marked', 'unscored')
    """
    if score is None or not maximum:
        return "unscored"
    share = score / maximum
    if share <= 0:
        return "none"
    if share <= 0.25:
        return "mild"
    return "moderate" if share <= 0.5 else "marked"


@dataclass(frozen=True)
class Half:
    path: str  # SVG path of the half disc
    fill: str
    text_colour: str
    band: str
    label: str  # the number written on it (NO_SCORE when unscored)
    text_x: int
    text_y: int


@dataclass(frozen=True)
class JointMark:
    joint: str
    cx: int
    cy: int
    hjhs: Half
    ultrasound: Half


def half_path(cx: int, cy: int, side: str, radius: int = RADIUS) -> str:
    """A half disc from the top of the circle to its bottom through ``side``.

    SVG's sweep flag 1 turns clockwise on screen (y grows downwards), so from the top
    point it passes the right side; flag 0 passes the left side.

    >>> half_path(50, 100, "left", 10)
    'M 50 90 A 10 10 0 0 0 50 110 Z'
    """
    sweep = 0 if side == "left" else 1
    return f"M {cx} {cy - radius} A {radius} {radius} 0 0 {sweep} {cx} {cy + radius} Z"


def _half(cx: int, cy: int, side: str, score: float | None, maximum: float | None) -> Half:
    colour_band = band(score, maximum)
    offset = RADIUS // 2 if side == "right" else -(RADIUS // 2)
    return Half(
        path=half_path(cx, cy, side),
        fill=BAND_COLOURS[colour_band],
        text_colour=BAND_TEXT[colour_band],
        band=colour_band,
        label=NO_SCORE if score is None else f"{score:g}",
        text_x=cx + offset,
        text_y=cy + 4,  # about a third of the 11-unit font below the centre: visually centred
    )


@dataclass(frozen=True)
class JointScores:
    hjhs: float | None = None
    hjhs_max: float | None = None
    ultrasound: float | None = None
    ultrasound_max: float | None = None


def layout(scores: dict[str, JointScores]) -> list[JointMark]:
    """One mark per mapped joint, in :data:`POSITIONS` order (joints without scores grey)."""
    marks = []
    for joint, (cx, cy) in POSITIONS.items():
        found = scores.get(joint, JointScores())
        marks.append(
            JointMark(
                joint,
                cx,
                cy,
                _half(cx, cy, "left", found.hjhs, found.hjhs_max),
                _half(cx, cy, "right", found.ultrasound, found.ultrasound_max),
            )
        )
    return marks
