"""The units a diary records quantities in: UN/CEFACT Recommendation 20 codes, as EPCIS wants.

Plain Python: the rules and the forms read the same table.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Unit:
    code: str
    label: str | Promise
    dimension: str
    # How many of the dimension's base unit (kilogram, litre, piece) one of this unit is.
    factor: Decimal


UNITS: dict[str, Unit] = {
    u.code: u
    for u in (
        Unit("KGM", _("kg"), "mass", Decimal(1)),
        Unit("GRM", _("g"), "mass", Decimal("0.001")),
        Unit("TNE", _("t"), "mass", Decimal(1000)),
        Unit("LTR", _("l"), "volume", Decimal(1)),
        Unit("MLT", _("ml"), "volume", Decimal("0.001")),
        Unit("H87", _("pcs"), "count", Decimal(1)),
    )
}
# What an input is measured in, and what a harvest is.
INPUT_UNITS = ("KGM", "GRM", "LTR", "MLT")
HARVEST_UNITS = ("KGM", "TNE", "LTR", "H87")
# A maximum dose is given per hectare in one of these.
DOSE_UNITS = ("KGM", "LTR")


def unit_choices(codes: tuple[str, ...]) -> list[tuple[str, str | Promise]]:
    return [(code, UNITS[code].label) for code in codes]


def convert(quantity: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    """`quantity` in `to_unit`, or None when the two units measure different things."""
    source, target = UNITS.get(from_unit), UNITS.get(to_unit)
    if source is None or target is None or source.dimension != target.dimension:
        return None
    return quantity * source.factor / target.factor


def unit_label(code: str) -> str:
    unit = UNITS.get(code)
    return str(unit.label) if unit else code
