"""Each raw-milk limit of QCVN 01-186:2017/BNNPTNT and TCVN 7405:2018, at and beyond its
boundary, and the added-water estimates against worked examples."""

from decimal import Decimal

import pytest

from coopchain.dairy import checks
from coopchain.dairy.standards import limits_for

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def limits(coop):
    from django.utils import timezone

    return limits_for(coop, timezone.localdate())


def codes(flags):
    return [f["code"] for f in flags]


def reading_flags(limits, **readings):
    values = {
        "fat": D("3.8"),
        "snf": D("8.6"),
        "density": D("1.029"),
        "temperature": D("4"),
        "chilled": True,
        "antibiotic": "negative",
    }
    values.update(readings)
    return codes(checks.delivery_flags(limits=limits, **values))


def test_good_milk_raises_no_flag(limits):
    assert reading_flags(limits) == []


@pytest.mark.parametrize(
    ("readings", "code"),
    [
        ({"fat": D("3.2")}, None),
        ({"fat": D("3.19")}, "low_fat"),
        ({"fat": D("3.2"), "snf": D("8.3")}, None),
        ({"fat": D("3.2"), "snf": D("8.29")}, "low_dry_matter"),
        ({"density": D("1.026")}, None),
        ({"density": D("1.0259")}, "low_density"),
        ({"temperature": D("6")}, None),
        ({"temperature": D("6.1")}, "warm"),
        ({"temperature": D("2")}, None),
        ({"temperature": D("1.9")}, "too_cold"),
    ],
)
def test_each_delivery_limit_holds_at_its_boundary_and_fails_beyond(limits, readings, code):
    found = reading_flags(limits, **readings)
    if code is None:
        assert found == []
    else:
        assert code in found


def test_warm_milk_not_declared_chilled_is_not_flagged_for_temperature(limits):
    assert reading_flags(limits, temperature=D("31"), chilled=False) == []


def test_antibiotic_positive_is_a_rejection(limits):
    flags = checks.delivery_flags(
        limits=limits,
        fat=D("3.8"),
        snf=D("8.6"),
        density=D("1.029"),
        temperature=D("4"),
        chilled=True,
        antibiotic="positive",
    )
    assert flags[0]["code"] == "antibiotic"
    assert flags[0]["severity"] == checks.REJECTION
    assert "refused" in checks.message(flags[0])


@pytest.mark.parametrize(
    ("tests", "code"),
    [
        ({"plate_count": 3_000_000}, None),
        ({"plate_count": 3_000_001}, "high_plate_count"),
        ({"somatic_cells": 1_000_000}, None),
        ({"somatic_cells": 1_000_001}, "high_somatic_cells"),
        ({"aflatoxin_m1": D("0.5")}, None),
        ({"aflatoxin_m1": D("0.51")}, "high_aflatoxin"),
        ({"protein": D("2.8")}, None),
        ({"protein": D("2.79")}, "low_protein"),
        ({"acidity": D("16")}, None),
        ({"acidity": D("15.9")}, "acidity"),
        ({"acidity": D("21")}, None),
        ({"acidity": D("21.1")}, "acidity"),
        ({"freezing_point": D("-0.500")}, None),
        ({"freezing_point": D("-0.499")}, "watered_freezing_point"),
        ({"freezing_point": D("-0.580")}, None),
        ({"freezing_point": D("-0.581")}, "low_freezing_point"),
    ],
)
def test_each_lab_limit_holds_at_its_boundary_and_fails_beyond(limits, tests, code):
    found = codes(checks.lab_flags(limits=limits, **tests))
    assert found == ([] if code is None else [code])


@pytest.mark.parametrize(
    ("freezing_point", "water"),
    [("-0.540", "0"), ("-0.500", "7.4"), ("-0.486", "10.0"), ("-0.432", "20.0"), ("-0.560", "0")],
)
def test_added_water_from_freezing_point(freezing_point, water):
    # (base − measured) / base × 100 with base −0.540 °C: (−0.540 + 0.486) / −0.540 = 10 %.
    assert checks.water_from_freezing_point(D(freezing_point)) == D(water)


def test_added_water_from_freezing_point_follows_a_configured_base():
    constants = checks.WaterConstants(base_freezing_point=D("-0.525"))
    assert checks.water_from_freezing_point(D("-0.4725"), constants) == D("10.0")


@pytest.mark.parametrize(("snf", "water"), [("8.3", "0"), ("7.47", "10.0"), ("6.64", "20.0")])
def test_added_water_from_snf_against_the_regulations_floor(snf, water):
    # Base SNF 8.3 % = dry matter 11.5 % − fat 3.2 %: (8.3 − 7.47) / 8.3 = 10 %.
    assert checks.water_from_snf(D(snf)) == D(water)


def test_richmond_formula_estimates_snf_from_density_and_fat():
    # CLR 28 → 28 / 4 + 0.22 × 3.5 + 0.72 = 8.49.
    assert checks.snf_from_density(D("1.028"), D("3.5")) == D("8.49")


def test_watered_milk_is_flagged_with_its_estimate_in_words(limits):
    flags = checks.delivery_flags(
        limits=limits,
        fat=D("3.3"),
        snf=D("7.47"),
        density=D("1.024"),
        temperature=D("4"),
        chilled=True,
        antibiotic="negative",
    )
    watered = next(f for f in flags if f["code"] == "watered")
    text = checks.message(watered)
    assert "10.0 %" in text
    assert "7.47" in text


def test_watered_milk_without_snf_is_estimated_from_density(limits):
    flags = checks.delivery_flags(
        limits=limits,
        fat=D("3.4"),
        snf=None,
        density=D("1.022"),
        temperature=None,
        chilled=True,
        antibiotic="not_tested",
    )
    watered = next(f for f in flags if f["code"] == "watered")
    # 22 / 4 + 0.22 × 3.4 + 0.72 = 6.97 → (8.3 − 6.97) / 8.3 = 16.0 %.
    assert watered["params"]["snf"] == "6.97"
    assert watered["params"]["water"] == "16.0"
    assert watered["params"]["method"] == "richmond"


def test_a_volume_far_from_the_members_usual_is_flagged_and_one_bad_day_does_not_hide_it():
    history = [D(x) for x in ("20", "21", "19", "20", "22", "20", "3", "21")]
    assert checks.unusual_volume(D("45"), history) == D("20.0")
    assert checks.unusual_volume(D("23"), history) is None


def test_a_processors_stricter_limit_tightens_the_national_one(coop):
    from datetime import date

    from coopchain.dairy.models import QualityLimit, QualityStandard

    stricter = QualityStandard.objects.create(
        code="Tản Viên 2024",
        title="Processor terms",
        organization=coop,
        valid_from=date(2024, 1, 1),
        source="contract annex",
    )
    QualityLimit.objects.create(standard=stricter, parameter="fat", minimum=D("3.4"))
    limits = limits_for(coop, date(2024, 6, 1))
    assert limits.minimum("fat") == D("3.4")
    assert limits.minimum("density") == D("1.026")
