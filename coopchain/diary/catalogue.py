"""The seed list of input products: the platform's shared catalogue, shipped as sample data.

The banned entries are real: these active ingredients were removed from Viet Nam's list of
pesticides permitted for use (the lists are kept by the Ministry of Agriculture's Plant
Protection Department; the current ones are those of Circular 09/2023/TT-BNNPTNT):
- paraquat and 2,4-D: Decision 278/QĐ-BNN-BVTV of 8 February 2017;
- glyphosate: removed on 10 April 2019; trade and use ended on 30 June 2021
  (Circular 06/2020/TT-BNNPTNT amending Circular 10/2019/TT-BNNPTNT);
- chlorpyrifos ethyl and fipronil: Decision 501/QĐ-BNN-BVTV of 12 February 2019; trade and
  use ended on 12 February 2021.

The registered products are generic (active ingredient and formulation, no brand) with
plausible pre-harvest intervals and maximum doses per application: every one is marked as
sample data, to be checked against the label of the product a cooperative really uses.
Registration numbers are left blank for the same reason.
"""

from decimal import Decimal
from typing import Any

from coopchain.lib.text import fold

SAMPLE_NOTE = (
    "Sample data shipped with CoopChain: check the dose and pre-harvest intervals against "
    "the label of the product you use."
)


def _banned(name: str, kind: str, ingredient: str, reason: str) -> dict[str, Any]:
    return {
        "name": name,
        "kind": kind,
        "active_ingredients": ingredient,
        "banned": True,
        "banned_reason": reason,
        "phi": {},
    }


SEED_PRODUCTS: list[dict[str, Any]] = [
    {
        "name": "Urea 46% N",
        "kind": "fertilizer",
        "active_ingredients": "Urea (46% N)",
        "max_dose_per_ha": Decimal("250"),
        "dose_unit": "KGM",
        "phi": {},
    },
    {
        "name": "NPK 16-16-8",
        "kind": "fertilizer",
        "active_ingredients": "N 16%, P2O5 16%, K2O 8%",
        "max_dose_per_ha": Decimal("500"),
        "dose_unit": "KGM",
        "phi": {},
    },
    {
        "name": "Potassium chloride (KCl 60% K2O)",
        "kind": "fertilizer",
        "active_ingredients": "K2O 60%",
        "max_dose_per_ha": Decimal("200"),
        "dose_unit": "KGM",
        "phi": {},
    },
    {
        "name": "Microbial organic fertilizer",
        "kind": "fertilizer",
        "active_ingredients": "Organic matter 15%, beneficial microorganisms",
        "phi": {},
    },
    {
        "name": "Copper oxychloride 85 WP",
        "kind": "fungicide",
        "active_ingredients": "Copper oxychloride 850 g/kg",
        "max_dose_per_ha": Decimal("3"),
        "dose_unit": "KGM",
        "phi": {
            "coffee-robusta": 14,
            "coffee-arabica": 14,
            "pepper": 14,
            "cinnamon": 14,
            "leafy-vegetables": 7,
            "cabbage": 7,
            "tomato": 7,
            "cucumber": 7,
        },
    },
    {
        "name": "Mancozeb 80 WP",
        "kind": "fungicide",
        "active_ingredients": "Mancozeb 800 g/kg",
        "max_dose_per_ha": Decimal("3"),
        "dose_unit": "KGM",
        "phi": {"coffee-robusta": 21, "coffee-arabica": 21, "tomato": 7, "cabbage": 10},
    },
    {
        "name": "Hexaconazole 5 SC",
        "kind": "fungicide",
        "active_ingredients": "Hexaconazole 50 g/l",
        "max_dose_per_ha": Decimal("1"),
        "dose_unit": "LTR",
        "phi": {"coffee-robusta": 14, "coffee-arabica": 14, "pepper": 14},
    },
    {
        "name": "Abamectin 1.8 EC",
        "kind": "pesticide",
        "active_ingredients": "Abamectin 18 g/l",
        "max_dose_per_ha": Decimal("0.5"),
        "dose_unit": "LTR",
        "phi": {
            "coffee-robusta": 14,
            "coffee-arabica": 14,
            "pepper": 14,
            "cinnamon": 14,
            "leafy-vegetables": 7,
            "cabbage": 7,
            "tomato": 7,
            "cucumber": 7,
        },
    },
    {
        "name": "Emamectin benzoate 5 WG",
        "kind": "pesticide",
        "active_ingredients": "Emamectin benzoate 50 g/kg",
        "max_dose_per_ha": Decimal("0.3"),
        "dose_unit": "KGM",
        "phi": {"leafy-vegetables": 7, "cabbage": 7, "tomato": 5, "cucumber": 5},
    },
    {
        "name": "Bacillus thuringiensis (Bt) WP",
        "kind": "pesticide",
        "active_ingredients": "Bacillus thuringiensis var. kurstaki",
        "max_dose_per_ha": Decimal("1"),
        "dose_unit": "KGM",
        "phi": {"leafy-vegetables": 1, "cabbage": 1, "tomato": 1, "cucumber": 1},
    },
    {
        "name": "Dairy cow concentrate feed",
        "kind": "feed",
        "active_ingredients": "Crude protein 18%",
        "phi": {},
    },
    _banned(
        "Paraquat 20 SL",
        "herbicide",
        "Paraquat dichloride",
        "Removed from the list of pesticides permitted in Viet Nam "
        "(Decision 278/QĐ-BNN-BVTV, 8 Feb 2017)",
    ),
    _banned(
        "2,4-D 80 WP",
        "herbicide",
        "2,4-D",
        "Removed from the list of pesticides permitted in Viet Nam "
        "(Decision 278/QĐ-BNN-BVTV, 8 Feb 2017)",
    ),
    _banned(
        "Glyphosate 480 SL",
        "herbicide",
        "Glyphosate isopropylamine salt",
        "Removed from the list of pesticides permitted in Viet Nam (10 Apr 2019); "
        "trade and use ended 30 Jun 2021 (Circular 06/2020/TT-BNNPTNT)",
    ),
    _banned(
        "Chlorpyrifos ethyl 48 EC",
        "pesticide",
        "Chlorpyrifos ethyl",
        "Removed from the list of pesticides permitted in Viet Nam "
        "(Decision 501/QĐ-BNN-BVTV, 12 Feb 2019); use ended 12 Feb 2021",
    ),
    _banned(
        "Fipronil 5 SC",
        "pesticide",
        "Fipronil",
        "Removed from the list of pesticides permitted in Viet Nam "
        "(Decision 501/QĐ-BNN-BVTV, 12 Feb 2019); use ended 12 Feb 2021",
    ),
]


def seed_input_products(product_model: Any, phi_model: Any, crop_model: Any) -> int:
    """Add the shared catalogue's missing entries (by name); existing ones are left alone."""
    existing = set(
        product_model.objects.filter(organization__isnull=True).values_list("name", flat=True)
    )
    crops = dict(crop_model.objects.values_list("code", "pk"))
    added = 0
    for row in SEED_PRODUCTS:
        if row["name"] in existing:
            continue
        fields = {k: v for k, v in row.items() if k != "phi"}
        product = product_model(organization=None, is_sample=True, notes=SAMPLE_NOTE, **fields)
        # Historical models in migrations skip the model's save(); fill the search key here.
        product.search_name = fold(product.name)
        product.save()
        phi_model.objects.bulk_create(
            phi_model(product=product, crop_id=crops[code], days=days)
            for code, days in row["phi"].items()
            if code in crops
        )
        added += 1
    return added
