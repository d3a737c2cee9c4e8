"""The compliance demo as the issue names it: the clean container's statement is RFC 7946
GeoJSON by an independent validator, the container mixing a plot cleared from forest is
refused with that plot named, and the certificates and audits are there."""

import json
from decimal import Decimal

import geojson
import pytest

from coopchain.compliance import services
from coopchain.compliance.demo import CLEAN_CONTAINER, FOREST_CODE, FOREST_CONTAINER, _sscc
from coopchain.compliance.due_diligence import check_lot
from coopchain.compliance.models import Audit, Certificate, Standard
from coopchain.errors import InvalidInput
from coopchain.parties.demo import load_demo
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace.models import Lot


@pytest.fixture
def demo(db):
    load_demo()


def positions(geometry):
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    if geometry["type"] == "Polygon":
        return [p for ring in geometry["coordinates"] for p in ring]
    return [p for polygon in geometry["coordinates"] for ring in polygon for p in ring]


def test_the_clean_demo_containers_geolocation_is_rfc_7946_geojson(demo):
    clean = Lot.objects.get(epc=_sscc(CLEAN_CONTAINER))

    statement = services.prepare_statement(
        operator=clean.organization,
        lot=clean,
        data=services.StatementData(
            activity="export", description="Green Robusta coffee", net_mass_kg=Decimal("19200")
        ),
        by=SYSTEM,
    )

    assert statement.files
    for file in statement.files:
        raw = json.loads(file["text"])
        collection = geojson.loads(file["text"])
        assert collection.is_valid, collection.errors()
        assert raw["type"] == "FeatureCollection"
        assert "crs" not in raw  # RFC 7946 dropped named systems: WGS 84 only
        for feature in raw["features"]:
            for lon, lat in positions(feature["geometry"]):
                assert 102 < lon < 110
                assert 8 < lat < 24
                assert len(repr(lon).partition(".")[2]) <= 6
                assert len(repr(lat).partition(".")[2]) <= 6


def test_the_demo_container_mixing_a_plot_cleared_from_forest_is_refused_by_name(demo):
    failing = Lot.objects.get(epc=_sscc(FOREST_CONTAINER))

    assert FOREST_CODE in [p.plot.code for p in check_lot(failing).failed_plots if p.plot]
    with pytest.raises(InvalidInput) as refused:
        services.prepare_statement(
            operator=failing.organization,
            lot=failing,
            data=services.StatementData(
                activity="export", description="Green Robusta", net_mass_kg=Decimal("19200")
            ),
            by=SYSTEM,
        )
    assert any(FOREST_CODE in e.field for e in refused.value.errors)


def test_the_demo_has_its_certificates_and_vietgap_audits(demo):
    standards = set(Certificate.objects.values_list("standard", flat=True))

    assert {Standard.FOUR_C, Standard.RAINFOREST, Standard.ORGANIC_EU, Standard.VIETGAP} <= (
        standards
    )
    vietgap = Audit.objects.filter(checklist__code="vietgap-crop-2017")
    assert vietgap.count() >= 3
    assert vietgap.filter(status=Audit.Status.CLOSED).exists()
    assert vietgap.filter(actions__isnull=False).exists()
