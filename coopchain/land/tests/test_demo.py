from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings

from coopchain.land.demo import ZONE_CODE, load_land_demo
from coopchain.land.models import Plot, PlotCrop, PlotGeometryHistory, RawMaterialZone
from coopchain.lib.geometry import check_geometry, in_viet_nam
from coopchain.parties.admin_units import load_admin_units
from coopchain.parties.demo import load_demo
from coopchain.parties.models import AdminUnit

pytestmark = pytest.mark.django_db


def land_demo_plots():
    """The plots this loader makes ("ET-0001-L2"); other apps' demos may add their own."""
    return Plot.objects.filter(code__regex=r"-L[0-9]+$")


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo world loaded once for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        if not AdminUnit.objects.filter(level=AdminUnit.Level.WARD).exists():
            load_admin_units(AdminUnit)
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            load_demo()
        load_land_demo()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_loading_the_land_demo_again_adds_nothing():
    before = (Plot.objects.count(), PlotCrop.objects.count(), RawMaterialZone.objects.count())

    assert load_land_demo() == {}
    assert (
        Plot.objects.count(),
        PlotCrop.objects.count(),
        RawMaterialZone.objects.count(),
    ) == before


def test_demo_plots_pass_every_geometry_check_and_lie_in_their_provinces():
    plots = list(land_demo_plots().select_related("organization"))

    assert len(plots) > 150
    for plot in plots:
        checked = check_geometry(plot.geometry, declared_area_ha=plot.declared_area_ha)
        assert checked.ok, (plot.code, checked.errors)
        assert in_viet_nam(float(plot.centroid_lon), float(plot.centroid_lat))
    provinces = {p.organization.province_id for p in plots}
    assert {"66", "15", "25", "01"} <= provinces


def test_demo_polygons_are_between_a_third_of_a_hectare_and_three_and_some_plots_are_points():
    coffee = land_demo_plots().filter(organization__province_id="66")

    areas = [p.area_ha for p in coffee.filter(shape=Plot.Shape.POLYGON)]
    assert min(areas) >= Decimal("0.25")
    assert max(areas) <= Decimal("3.6")
    assert coffee.filter(shape=Plot.Shape.POINT).count() >= 3
    assert all(p.area_ha <= 4 for p in coffee.filter(shape=Plot.Shape.POINT))


def test_the_demo_farmer_has_several_plots_one_redrawn():
    plots = land_demo_plots().filter(member__code="ET-0001", organization__province_id="66")

    assert plots.count() == 3
    assert plots.filter(shape=Plot.Shape.POINT).exists()
    assert PlotGeometryHistory.objects.filter(plot__in=plots).count() == 1


def test_the_coffee_zone_supplies_the_exporter_with_coffee_plots():
    zone = RawMaterialZone.objects.get(code=ZONE_CODE)

    assert zone.enterprise.short_name == "Cà phê Ban Mê"
    assert zone.plots.count() >= 20
    assert not zone.plots.exclude(crops__crop__code="coffee-robusta").exists()


def test_some_declared_areas_are_flagged():
    flagged = [
        p for p in land_demo_plots().exclude(declared_area_ha=None) if p.area_differs_from_declared
    ]

    assert flagged
