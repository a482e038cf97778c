"""Prophylaxis: the programme's regimen, doses rounded to vials, WFH intensity, weekdays.

- :mod:`.dosing`: factor products, rounding to vials, dose for a factor rise,
  IU/kg/week (REFERENCE.md section 2, verified).
- :mod:`.regimen`: the programme's regimen and infusion weekdays (REFERENCE.md
  section 1, verified).
- :mod:`.wfh`: WFH 2020 intensity classes and factor targets for bleeds, read from
  the provisional ``wfh_prophylaxis`` definition (REFERENCE.md section 2).

Everything public is re-exported here, so ``from hemojoint.domain.prophylaxis import
programme_regimen`` works.
"""

from __future__ import annotations

from hemojoint.domain.prophylaxis.dosing import (
    FVIII_RECOVERY_IU_DL_PER_IU_KG,
    PLASMA_FIX_RECOVERY_IU_DL_PER_IU_KG,
    Factor,
    FactorProduct,
    RiseDose,
    Rounding,
    VialDose,
    dose_for_rise,
    iu_per_kg_per_week,
    round_to_vials,
)
from hemojoint.domain.prophylaxis.regimen import (
    DEFAULT_WEEKDAYS,
    PROGRAMME_DOSE_RANGE_IU_PER_KG,
    PROGRAMME_INFUSIONS_PER_WEEK,
    PROGRAMME_SOURCE,
    ProgrammeRegimen,
    Weekday,
    infusion_days,
    parse_weekdays,
    programme_regimen,
)
from hemojoint.domain.prophylaxis.wfh import (
    BleedFactorTarget,
    BleedTargetKind,
    IntensityBand,
    IntensityClass,
    IntensityResult,
    ProphylaxisDefinition,
    TargetPhase,
    bleed_factor_target,
    intensity_class,
)

__all__ = [
    "DEFAULT_WEEKDAYS",
    "FVIII_RECOVERY_IU_DL_PER_IU_KG",
    "PLASMA_FIX_RECOVERY_IU_DL_PER_IU_KG",
    "PROGRAMME_DOSE_RANGE_IU_PER_KG",
    "PROGRAMME_INFUSIONS_PER_WEEK",
    "PROGRAMME_SOURCE",
    "BleedFactorTarget",
    "BleedTargetKind",
    "Factor",
    "FactorProduct",
    "IntensityBand",
    "IntensityClass",
    "IntensityResult",
    "ProgrammeRegimen",
    "ProphylaxisDefinition",
    "RiseDose",
    "Rounding",
    "TargetPhase",
    "VialDose",
    "Weekday",
    "bleed_factor_target",
    "dose_for_rise",
    "infusion_days",
    "intensity_class",
    "iu_per_kg_per_week",
    "parse_weekdays",
    "programme_regimen",
    "round_to_vials",
]
