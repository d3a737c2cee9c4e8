"""The diary's rules on plain facts: each finding appears exactly when its rule is broken."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from coopchain.diary import rules
from coopchain.diary.rules import CropFacts, EntryFacts, LineFacts, ProductFacts

COFFEE = CropFacts(1, "Coffee (Robusta)")
PEPPER = CropFacts(2, "Black pepper")
ABAMECTIN = ProductFacts(
    10,
    "Abamectin 1.8 EC",
    "pesticide",
    max_dose_per_ha=Decimal("0.5"),
    dose_unit="LTR",
    phi_days={COFFEE.id: 14},
)
PARAQUAT = ProductFacts(
    11, "Paraquat 20 SL", "herbicide", banned=True, banned_reason="Decision 278/QĐ-BNN-BVTV"
)
UREA = ProductFacts(12, "Urea 46% N", "fertilizer", max_dose_per_ha=Decimal(250), dose_unit="KGM")
SPRAY_DAY = date(2025, 11, 20)


def spray(
    product=ABAMECTIN, quantity="0.4", unit="LTR", *, on=SPRAY_DAY, entry_id=1, crop=None, area="1"
):
    return EntryFacts(
        id=entry_id,
        kind=rules.SPRAYING,
        on=on,
        plot_ids=frozenset({100}),
        crop=crop,
        plot_crops=(COFFEE,),
        area_ha=Decimal(area),
        lines=(LineFacts(product, Decimal(quantity), unit),),
    )


def harvest(on, *, crop=COFFEE, plots=frozenset({100}), entry_id=99):
    return EntryFacts(id=entry_id, kind=rules.HARVEST, on=on, plot_ids=plots, crop=crop)


def codes(findings):
    return [f.code for f in findings]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_harvest_a_week_after_a_spray_with_a_14_day_interval_is_a_finding():
    findings = rules.harvest_findings(harvest(SPRAY_DAY + timedelta(days=7)), [spray()])

    assert codes(findings) == [rules.PHI]
    assert findings[0].cause_entry_id == 1
    assert findings[0].message == (
        "This harvest is within the pre-harvest interval of Abamectin 1.8 EC applied on "
        "20/11/2025: 14 days for Coffee (Robusta), so not before 04/12/2025."
    )


def test_a_harvest_after_the_interval_has_ended_is_not():
    assert rules.harvest_findings(harvest(SPRAY_DAY + timedelta(days=15)), [spray()]) == []


def test_harvesting_on_the_day_the_interval_ends_is_allowed():
    assert rules.phi_findings(harvest(SPRAY_DAY + timedelta(days=14)), [spray()]) == []
    assert codes(rules.phi_findings(harvest(SPRAY_DAY + timedelta(days=13)), [spray()])) == [
        rules.PHI
    ]


def test_a_spray_on_another_plot_or_for_another_crop_does_not_count():
    day = SPRAY_DAY + timedelta(days=3)

    assert rules.phi_findings(harvest(day, plots=frozenset({200})), [spray()]) == []
    assert rules.phi_findings(harvest(day), [spray(crop=PEPPER)]) == []
    assert codes(rules.phi_findings(harvest(day), [spray(crop=COFFEE)])) == [rules.PHI]


def test_a_spray_after_the_harvest_does_not_count():
    assert rules.phi_findings(harvest(SPRAY_DAY - timedelta(days=1)), [spray()]) == []


def test_a_banned_product_is_a_finding_with_its_legal_basis():
    findings = rules.entry_findings(spray(PARAQUAT, "1"))

    assert codes(findings) == [rules.BANNED, rules.PHI_UNKNOWN]
    assert findings[0].message == (
        "Paraquat 20 SL is banned in Viet Nam (Decision 278/QĐ-BNN-BVTV)."
    )


def test_a_banned_product_in_the_season_makes_the_harvest_a_finding():
    used = spray(PARAQUAT, "1", on=SPRAY_DAY - timedelta(days=200))

    assert rules.BANNED in codes(rules.harvest_findings(harvest(SPRAY_DAY), [used]))
    long_ago = spray(PARAQUAT, "1", on=SPRAY_DAY - timedelta(days=rules.SEASON_DAYS + 1))
    assert rules.harvest_findings(harvest(SPRAY_DAY), [long_ago]) == []


def test_a_dose_over_the_maximum_per_hectare_is_a_finding():
    # 0.6 l on 1 ha is over 0.5 l/ha; 0.6 l on 1.5 ha is 0.4 l/ha.
    findings = rules.entry_findings(spray(quantity="0.6"))

    assert codes(findings) == [rules.OVER_DOSE]
    assert findings[0].message == (
        "Abamectin 1.8 EC was applied at 0.6 l/ha, above its maximum of 0.5 l/ha."
    )
    assert rules.entry_findings(spray(quantity="0.6", area="1.5")) == []


def test_a_dose_in_smaller_units_is_converted_before_it_is_compared():
    assert rules.entry_findings(spray(quantity="400", unit="MLT")) == []
    assert codes(rules.entry_findings(spray(quantity="600", unit="MLT"))) == [rules.OVER_DOSE]


def test_a_dose_in_a_unit_of_another_kind_cannot_be_checked():
    assert codes(rules.entry_findings(spray(quantity="0.4", unit="KGM"))) == [rules.DOSE_UNIT]


def test_a_spraying_entry_without_a_product_is_a_missing_record():
    entry = EntryFacts(
        id=5, kind=rules.SPRAYING, on=SPRAY_DAY, plot_ids=frozenset({100}), plot_crops=(COFFEE,)
    )

    assert codes(rules.entry_findings(entry)) == [rules.NO_PRODUCT]
    irrigation = EntryFacts(id=6, kind=rules.IRRIGATION, on=SPRAY_DAY, plot_ids=frozenset({100}))
    assert rules.entry_findings(irrigation) == []


def test_a_harvest_without_any_input_in_the_season_is_fine():
    assert rules.harvest_findings(harvest(SPRAY_DAY), []) == []


def test_a_pesticide_with_no_interval_for_the_crop_is_a_missing_record():
    findings = rules.entry_findings(spray(crop=PEPPER))

    assert codes(findings) == [rules.PHI_UNKNOWN]
    assert "No pre-harvest interval is listed for Abamectin 1.8 EC on Black pepper" in (
        findings[0].message
    )


def test_fertilizer_needs_no_interval():
    assert rules.entry_findings(spray(UREA, "100", "KGM")) == []


def test_the_diary_shows_phi_findings_on_the_harvest_and_others_on_their_entry():
    entries = [
        spray(),
        spray(PARAQUAT, "1", entry_id=2),
        harvest(SPRAY_DAY + timedelta(days=2)),
    ]

    found = {(f.code, f.entry_id) for f in rules.diary_findings(entries)}

    assert found == {(rules.PHI, 99), (rules.BANNED, 2), (rules.PHI_UNKNOWN, 2)}


def test_dates_in_findings_are_written_day_first_in_every_language():
    finding = rules.phi_findings(harvest(SPRAY_DAY + timedelta(days=1)), [spray()])[0]

    for language in ("vi", "en"):
        with translation.override(language):
            assert "20/11/2025" in finding.message
            assert "04/12/2025" in finding.message


def test_safe_harvest_dates_list_the_intervals_still_running():
    entries = [spray(), spray(on=SPRAY_DAY - timedelta(days=30), entry_id=2)]

    running = rules.safe_harvest_dates(
        entries, crop=COFFEE, plot_id=100, on=SPRAY_DAY + timedelta(days=1)
    )

    assert running == [(date(2025, 12, 4), "Abamectin 1.8 EC")]
