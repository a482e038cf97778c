"""Every scorable instrument, keyed by code, with provisional definitions loaded.

This sits outside the domain because it reads definition files; the domain
modules only parse what it hands them.
"""

from __future__ import annotations

from pathlib import Path

from hemojoint.definitions import load_definition
from hemojoint.domain.instruments.base import Scorer


def instrument_catalog(definitions_dir: Path | None = None) -> dict[str, Scorer]:
    """Code -> scorer, in the order a clinician meets them."""
    # Imported here so that commands which score nothing start without them.
    from hemojoint.domain.instruments import (
        choklat,
        fish,
        head_us,
        head_us_c,
        hjhs,
        pettersson,
        pocus,
        us_measurements,
    )

    scorers = [
        hjhs.SCORER,
        head_us.SCORER,
        head_us_c.scorer_from_definition(load_definition("head_us_c", definitions_dir)),
        pocus.SCORER,
        us_measurements.SCORER,
        choklat.scorer_from_definition(load_definition("choklat", definitions_dir)),
        pettersson.SCORER,
        fish.SCORER,
    ]
    return {scorer.info.code: scorer for scorer in scorers}
