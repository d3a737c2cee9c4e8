"""Quality checks of raw milk: each reading against the limits in force, and estimates of
added water, as flags with their reasons in words.

Pure functions: they take readings and `Limits` (coopchain.dairy.standards) and return flags
as plain dicts (code, severity, params), stored with the delivery or lab test; `message`
words a flag for people at display time, in their language.

Added water is estimated two ways:
- from the freezing point (the reference method): water raises it towards 0 °C, so
  added water % = (base FP − measured FP) / base FP × 100, base −0.540 °C by default;
- from solids-not-fat: water dilutes SNF, so added water % ≥ (base SNF − measured SNF) /
  base SNF × 100. The base SNF is the regulation's own floor, dry matter 11.5 % minus fat
  3.2 % = 8.3 %, so the figure is the least water that explains the reading. When SNF was
  not measured it is estimated from density and fat by Richmond's formula,
  SNF = CLR / 4 + 0.22 × fat + 0.72, CLR being the corrected lactometer reading
  (density − 1) × 1000.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from django.utils.translation import gettext as _

from coopchain.dairy.models import QualityLimit
from coopchain.dairy.standards import Limits

P = QualityLimit.Parameter

WARNING = "warning"
REJECTION = "rejection"


@dataclass(frozen=True)
class WaterConstants:
    base_freezing_point: Decimal = Decimal("-0.540")
    base_snf: Decimal = Decimal("8.3")
    richmond_clr: Decimal = Decimal("0.25")
    richmond_fat: Decimal = Decimal("0.22")
    richmond_constant: Decimal = Decimal("0.72")


DEFAULT_WATER = WaterConstants()
# Iglewicz and Hoaglin's modified z-score: 0.6745 (x − median) / MAD above 3.5 is an outlier.
OUTLIER_Z = Decimal("3.5")
HISTORY_MINIMUM = 6

ONE_DECIMAL = Decimal("0.1")


def _round(value: Decimal, step: Decimal = ONE_DECIMAL) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _text(value: Any) -> str:
    # Limits come from the database with four places: 6.0000 reads as 6.
    if isinstance(value, Decimal) and value.as_tuple().exponent < -2:
        return format(value.normalize(), "f")
    return str(value)


def flag(code: str, severity: str = WARNING, **params: Any) -> dict[str, Any]:
    return {"code": code, "severity": severity, "params": {k: _text(v) for k, v in params.items()}}


def water_from_freezing_point(
    freezing_point: Decimal, constants: WaterConstants = DEFAULT_WATER
) -> Decimal:
    """Added water % from a freezing point in °C (0 when at or below the base)."""
    base = constants.base_freezing_point
    return max(Decimal(0), _round((base - freezing_point) / base * 100))


def snf_from_density(
    density: Decimal, fat: Decimal, constants: WaterConstants = DEFAULT_WATER
) -> Decimal:
    """SNF % by Richmond's formula from density (g/ml) and fat %."""
    clr = (density - 1) * 1000
    return _round(
        constants.richmond_clr * clr + constants.richmond_fat * fat + constants.richmond_constant,
        Decimal("0.01"),
    )


def water_from_snf(snf: Decimal, constants: WaterConstants = DEFAULT_WATER) -> Decimal:
    """The least added water % that explains an SNF below the base."""
    base = constants.base_snf
    return max(Decimal(0), _round((base - snf) / base * 100))


def _below(limits: Limits, parameter: str, value: Decimal | None) -> bool:
    low = limits.minimum(parameter)
    return value is not None and low is not None and value < low


def _above(limits: Limits, parameter: str, value: Decimal | None) -> bool:
    high = limits.maximum(parameter)
    return value is not None and high is not None and value > high


def delivery_flags(
    *,
    limits: Limits,
    fat: Decimal | None,
    snf: Decimal | None,
    density: Decimal | None,
    temperature: Decimal | None,
    chilled: bool,
    antibiotic: str,
    quantity_kg: Decimal | None = None,
    history_kg: Sequence[Decimal] = (),
    constants: WaterConstants = DEFAULT_WATER,
) -> list[dict[str, Any]]:
    """Flags for one delivery's readings at the centre."""
    flags: list[dict[str, Any]] = []
    if antibiotic == "positive":
        flags.append(flag("antibiotic", REJECTION))
    if _below(limits, P.FAT, fat):
        flags.append(flag("low_fat", value=fat, limit=limits.minimum(P.FAT)))
    if fat is not None and snf is not None and _below(limits, P.DRY_MATTER, fat + snf):
        flags.append(flag("low_dry_matter", value=fat + snf, limit=limits.minimum(P.DRY_MATTER)))
    if _below(limits, P.DENSITY, density):
        flags.append(flag("low_density", value=density, limit=limits.minimum(P.DENSITY)))
    measured_snf, estimated = snf, False
    if measured_snf is None and density is not None and fat is not None:
        measured_snf, estimated = snf_from_density(density, fat, constants), True
    water = water_from_snf(measured_snf, constants) if measured_snf is not None else Decimal(0)
    if water > 0 or _below(limits, P.DENSITY, density):
        flags.append(
            flag(
                "watered",
                water=water,
                snf=measured_snf,
                base_snf=constants.base_snf,
                method="richmond" if estimated else "snf",
            )
        )
    if chilled and temperature is not None:
        if _above(limits, P.TEMPERATURE, temperature):
            flags.append(flag("warm", value=temperature, limit=limits.maximum(P.TEMPERATURE)))
        elif _below(limits, P.TEMPERATURE, temperature):
            flags.append(flag("too_cold", value=temperature, limit=limits.minimum(P.TEMPERATURE)))
    if quantity_kg is not None:
        unusual = unusual_volume(quantity_kg, history_kg)
        if unusual is not None:
            flags.append(flag("unusual_volume", value=quantity_kg, usual=unusual))
    return flags


def unusual_volume(value: Decimal, history: Sequence[Decimal]) -> Decimal | None:
    """The member's usual (median) volume when `value` is far from it, else None.

    Median and median absolute deviation, not mean and standard deviation: one bad day in
    the history does not move them. The MAD is floored at 5 % of the median so a very
    steady history does not turn every small change into an outlier.
    """
    if len(history) < HISTORY_MINIMUM:
        return None
    middle = Decimal(median(history))
    mad = Decimal(median(abs(x - middle) for x in history))
    mad = max(mad, middle * Decimal("0.05"), Decimal("0.1"))
    score = Decimal("0.6745") * abs(value - middle) / mad
    return _round(middle) if score > OUTLIER_Z else None


def lab_flags(
    *,
    limits: Limits,
    plate_count: int | None = None,
    somatic_cells: int | None = None,
    freezing_point: Decimal | None = None,
    protein: Decimal | None = None,
    aflatoxin_m1: Decimal | None = None,
    acidity: Decimal | None = None,
    constants: WaterConstants = DEFAULT_WATER,
) -> list[dict[str, Any]]:
    """Flags for a laboratory result."""
    flags: list[dict[str, Any]] = []
    for code, parameter, value in (
        ("high_plate_count", P.PLATE_COUNT, plate_count),
        ("high_somatic_cells", P.SOMATIC_CELLS, somatic_cells),
        ("high_aflatoxin", P.AFLATOXIN_M1, aflatoxin_m1),
    ):
        if value is not None and _above(limits, parameter, Decimal(value)):
            flags.append(flag(code, value=value, limit=limits.maximum(parameter)))
    if _below(limits, P.PROTEIN, protein):
        flags.append(flag("low_protein", value=protein, limit=limits.minimum(P.PROTEIN)))
    if _below(limits, P.ACIDITY, acidity) or _above(limits, P.ACIDITY, acidity):
        flags.append(
            flag(
                "acidity",
                value=acidity,
                low=limits.minimum(P.ACIDITY),
                high=limits.maximum(P.ACIDITY),
            )
        )
    if _above(limits, P.FREEZING_POINT, freezing_point):
        flags.append(
            flag(
                "watered_freezing_point",
                value=freezing_point,
                limit=limits.maximum(P.FREEZING_POINT),
                water=water_from_freezing_point(freezing_point, constants),
                base=constants.base_freezing_point,
            )
        )
    elif _below(limits, P.FREEZING_POINT, freezing_point):
        flags.append(
            flag("low_freezing_point", value=freezing_point, limit=limits.minimum(P.FREEZING_POINT))
        )
    return flags


def _messages() -> dict[str, str]:
    return {
        "antibiotic": _("Antibiotic residue test positive: the milk is refused."),
        "low_fat": _("Fat %(value)s %% is below the %(limit)s %% minimum."),
        "low_dry_matter": _("Dry matter %(value)s %% is below the %(limit)s %% minimum."),
        "low_density": _("Density %(value)s g/ml is below the %(limit)s g/ml minimum."),
        "watered": _(
            "Possibly watered: SNF %(snf)s %% is below %(base_snf)s %%; at least %(water)s %% "
            "added water would explain it."
        ),
        "warm": _("Chilled milk at %(value)s °C, above the %(limit)s °C limit."),
        "too_cold": _("Chilled milk at %(value)s °C, below the %(limit)s °C limit."),
        "unusual_volume": _(
            "%(value)s kg is far from this member's usual %(usual)s kg per delivery."
        ),
        "high_plate_count": _("Bacteria %(value)s per ml, above the %(limit)s limit."),
        "high_somatic_cells": _("Somatic cells %(value)s per ml, above the %(limit)s limit."),
        "high_aflatoxin": _("Aflatoxin M1 %(value)s µg/kg, above the %(limit)s µg/kg limit."),
        "low_protein": _("Protein %(value)s %% is below the %(limit)s %% minimum."),
        "acidity": _("Acidity %(value)s °T is outside %(low)s–%(high)s °T."),
        "watered_freezing_point": _(
            "Freezing point %(value)s °C is above %(limit)s °C: about %(water)s %% added "
            "water (against a base of %(base)s °C)."
        ),
        "low_freezing_point": _("Freezing point %(value)s °C is below %(limit)s °C."),
    }


def message(item: dict[str, Any]) -> str:
    """A stored flag in words, in the active language."""
    template = _messages().get(item["code"], item["code"])
    try:
        return template % item.get("params", {})
    except (KeyError, ValueError, TypeError):
        return template


def messages(items: Sequence[dict[str, Any]]) -> list[str]:
    return [message(i) for i in items]
