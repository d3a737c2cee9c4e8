"""What each destination market asks of a lot, as data: each requirement with the rule that
checks it, the goods it applies to (HS chapters or headings; none means all) and its basis.

Where a requirement is a buyer's rather than a law's, the basis says so. The rules are in
readiness.py.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

EU = "eu"
US = "us"
CHINA = "cn"
JAPAN = "jp"
DOMESTIC = "vn"

MARKETS = {
    EU: _("European Union"),
    US: _("United States"),
    CHINA: _("China"),
    JAPAN: _("Japan"),
    DOMESTIC: _("Viet Nam (domestic)"),
}

TRACEABLE = "traceable_to_plot"
NO_RESIDUE_FINDINGS = "no_residue_findings"
EUDR = "eudr"
CLAIM_ANY = "claim_any"
PLANTING_AREA_CODE = "planting_area_code"
PACKING_HOUSE_CODE = "packing_house_code"

FRESH_PRODUCE = ("07", "08")  # HS chapters: vegetables; fruit and nuts
FRESH_FRUIT = ("08",)


@dataclass(frozen=True)
class Requirement:
    market: str
    rule: str
    label: Any
    basis: str
    applies_to: tuple[str, ...] = ()
    params: tuple[tuple[str, Any], ...] = ()

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    def applies(self, hs_code: str) -> bool:
        return not self.applies_to or any(hs_code.startswith(p) for p in self.applies_to)


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        EU,
        TRACEABLE,
        _("Traceable to the plot"),
        "Regulation (EC) 178/2002 Art. 18 (one step back); EU buyers ask for the farm",
    ),
    Requirement(
        EU,
        NO_RESIDUE_FINDINGS,
        _("No pre-harvest interval or banned-product finding"),
        "Regulation (EC) 396/2005 (maximum residue levels)",
    ),
    Requirement(EU, EUDR, _("EUDR due diligence"), "Regulation (EU) 2023/1115"),
    Requirement(
        EU,
        CLAIM_ANY,
        _("GLOBALG.A.P. or EU organic certification"),
        "Buyers' requirement for fresh fruit and vegetables (not a law)",
        FRESH_PRODUCE,
        (("standards", ("globalgap", "organic_eu")),),
    ),
    Requirement(
        US,
        TRACEABLE,
        _("Traceable to the plot"),
        "FDA Food Traceability Rule, 21 CFR Part 1 Subpart S (FSMA 204)",
    ),
    Requirement(
        US,
        NO_RESIDUE_FINDINGS,
        _("No pre-harvest interval or banned-product finding"),
        "EPA pesticide tolerances, 40 CFR Part 180",
    ),
    Requirement(
        US,
        PLANTING_AREA_CODE,
        _("Planting-area code for every plot"),
        "USDA APHIS import conditions for Vietnamese fresh fruit (registered orchards)",
        FRESH_FRUIT,
    ),
    Requirement(
        US,
        PACKING_HOUSE_CODE,
        _("Packed by a facility with a packing-house code"),
        "USDA APHIS import conditions for Vietnamese fresh fruit (registered packing houses)",
        FRESH_FRUIT,
    ),
    Requirement(
        CHINA,
        TRACEABLE,
        _("Traceable to the plot"),
        "GACC Decree 248 (registration of overseas producers) and the fruit protocols",
    ),
    Requirement(
        CHINA,
        NO_RESIDUE_FINDINGS,
        _("No pre-harvest interval or banned-product finding"),
        "GB 2763 (maximum residue limits)",
    ),
    Requirement(
        CHINA,
        PLANTING_AREA_CODE,
        _("Planting-area code for every plot"),
        "GACC plant quarantine protocols: registered planting areas",
        FRESH_PRODUCE,
    ),
    Requirement(
        CHINA,
        PACKING_HOUSE_CODE,
        _("Packed by a facility with a packing-house code"),
        "GACC plant quarantine protocols: registered packing houses",
        FRESH_PRODUCE,
    ),
    Requirement(
        JAPAN,
        TRACEABLE,
        _("Traceable to the plot"),
        "Japanese importers' requirement (not a law)",
    ),
    Requirement(
        JAPAN,
        NO_RESIDUE_FINDINGS,
        _("No pre-harvest interval or banned-product finding"),
        "Positive List System, Food Sanitation Act",
    ),
    Requirement(
        JAPAN,
        PLANTING_AREA_CODE,
        _("Planting-area code for every plot"),
        "MAFF plant quarantine conditions for Vietnamese fresh fruit",
        FRESH_FRUIT,
    ),
    Requirement(
        DOMESTIC,
        TRACEABLE,
        _("Traceable to the plot"),
        "Circular 02/2024/TT-BKHCN (product traceability)",
    ),
    Requirement(
        DOMESTIC,
        NO_RESIDUE_FINDINGS,
        _("No pre-harvest interval or banned-product finding"),
        "Law on Food Safety 55/2010/QH12",
    ),
)


def requirements_for(market: str) -> list[Requirement]:
    return [r for r in REQUIREMENTS if r.market == market]
