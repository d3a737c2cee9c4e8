import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coopchain.land.models import Crop, Plot, PlotCrop, PlotGeometryHistory
from coopchain.land.services import add_crop, create_zone
from coopchain.land.tests.factories import PlotFactory
from coopchain.land.tests.shapes import bow_tie, collection, feature, quadrilateral, square
from coopchain.parties.tests.factories import EnterpriseFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plot(member, manager):
    plot = PlotFactory(member=member, code="EA-01", name="Rẫy sau nhà")
    add_crop(plot=plot, crop=Crop.objects.get(code="coffee-robusta"), tree_count=1100, by=manager)
    return plot


def test_the_plot_list_shows_plots_with_crops_and_areas(client, manager, plot):
    client.force_login(manager)

    page = client.get(reverse("land:plot_list"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert "EA-01" in page
    assert "Cà phê vối (Robusta)" in page
    assert f"{plot.area_ha.normalize():f}".replace(".", ",") in page


def test_the_plot_list_is_searched_and_filtered_by_crop(client, manager, plot, member):
    PlotFactory(member=member, code="RAU-09")
    client.force_login(manager)

    by_name = client.get(reverse("land:plot_list"), {"q": "Đào"}).content.decode()
    by_crop = client.get(reverse("land:plot_list"), {"crop": "coffee-robusta"}).content.decode()

    assert "EA-01" in by_name
    assert "RAU-09" in by_name
    assert "EA-01" in by_crop
    assert "RAU-09" not in by_crop


def test_the_plot_page_shows_facts_crops_map_and_history(client, manager, plot):
    client.force_login(manager)

    response = client.get(reverse("land:plot_detail", args=[plot.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rẫy sau nhà" in page
    assert "1100" in page
    assert "data-plot-geometry=" in page
    assert "js/plots-map.js" in page
    assert "<script>" not in page  # the content security policy allows no inline script


def test_a_plot_is_added_from_the_form_with_pasted_geojson(client, manager, member):
    client.force_login(manager)

    response = client.post(
        reverse("land:plot_create"),
        {
            "code": "EA-02",
            "member": member.code,
            "geometry": json.dumps(quadrilateral()),
            "declared_area_ha": "1.7",
        },
    )

    plot = Plot.objects.get(code="EA-02")
    assert response.status_code == 302
    assert response.url == reverse("land:plot_detail", args=[plot.pk])


def test_a_bow_tie_in_the_form_is_shown_beside_the_boundary(client, manager, member):
    client.force_login(manager)

    response = client.post(
        reverse("land:plot_create"),
        {"code": "EA-02", "member": member.code, "geometry": json.dumps(bow_tie())},
    )

    assert response.status_code == 400
    assert "crosses itself" in response.content.decode()
    assert not Plot.objects.exists()


def test_a_plot_is_added_from_an_uploaded_kml_file(client, manager, member):
    kml = (
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Polygon><outerBoundaryIs>'
        "<LinearRing><coordinates>108.030001,12.700001 108.031001,12.700001 "
        "108.031001,12.701001 108.030001,12.701001 108.030001,12.700001</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"
    )
    client.force_login(manager)

    client.post(
        reverse("land:plot_create"),
        {
            "code": "EA-03",
            "member": member.code,
            "geometry_file": SimpleUploadedFile("lo.kml", kml.encode()),
        },
    )

    assert Plot.objects.get(code="EA-03").geometry == square()


def test_redrawing_on_the_edit_page_keeps_the_old_boundary(client, manager, plot, member):
    client.force_login(manager)

    client.post(
        reverse("land:plot_edit", args=[plot.pk]),
        {
            "member": member.code,
            "geometry": json.dumps(quadrilateral(lon=108.030001)),
            "status": "active",
            "note": "Đo lại",
        },
    )

    page = client.get(reverse("land:plot_detail", args=[plot.pk])).content.decode()
    assert PlotGeometryHistory.objects.get(plot=plot).note == "Đo lại"
    assert "Đo lại" in page


def test_a_crop_is_added_and_ended_from_the_plot_page(client, manager, plot):
    client.force_login(manager)

    client.post(
        reverse("land:crop_add", args=[plot.pk]),
        {"crop": Crop.objects.get(code="pepper").pk, "planting_year": 2018},
    )
    pepper = PlotCrop.objects.get(plot=plot, crop__code="pepper")
    client.post(reverse("land:crop_end", args=[plot.pk, pepper.pk]), {"ended_year": 2024})

    pepper.refresh_from_db()
    assert pepper.ended_year == 2024


def test_the_import_page_reports_a_bad_feature_and_writes_nothing(client, manager, member):
    document = collection(
        feature(square(), member_code=member.code, plot_code="A"),
        feature(bow_tie(lon=108.04), member_code=member.code, plot_code="B"),
    )
    client.force_login(manager)

    response = client.post(
        reverse("land:plot_import"),
        {"file": SimpleUploadedFile("lo.geojson", json.dumps(document).encode())},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: 1 problem in the file." in page
    assert "geometry.coordinates" in page
    assert not Plot.objects.exists()


def test_the_import_page_imports_a_good_file(client, manager, member):
    document = collection(feature(square(), member_code=member.code, plot_code="A"))
    client.force_login(manager)

    response = client.post(
        reverse("land:plot_import"),
        {"file": SimpleUploadedFile("lo.geojson", json.dumps(document).encode())},
    )

    assert "Imported: 1 added, 0 updated, 0 unchanged." in response.content.decode()
    assert Plot.objects.filter(code="A").exists()


def test_the_export_is_a_geojson_feature_collection(client, manager, plot):
    client.force_login(manager)

    response = client.get(reverse("land:plot_export"))

    body = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert "attachment" in response["Content-Disposition"]
    assert [f["properties"]["plot_code"] for f in body["features"]] == ["EA-01"]


def test_the_map_page_loads_its_plots_from_the_geojson_endpoint(client, manager, plot):
    client.force_login(manager)

    page = client.get(reverse("land:plot_map")).content.decode()
    data = client.get(reverse("land:map_data")).json()

    assert f'data-plots-map="{reverse("land:map_data")}"' in page
    assert "#6d4c41" in page  # the legend's coffee colour
    assert data["features"][0]["properties"]["colour"] == "#6d4c41"
    assert data["features"][0]["properties"]["url"] == reverse("land:plot_detail", args=[plot.pk])


def test_a_tile_layer_is_offered_only_when_configured(client, manager, plot, settings):
    client.force_login(manager)
    without = client.get(reverse("land:plot_map")).content.decode()
    settings.MAP_TILE_URL = "/tiles/{z}/{x}/{y}.png"

    with_tiles = client.get(reverse("land:plot_map")).content.decode()

    assert 'data-tile-url=""' in without
    assert 'data-tile-url="/tiles/{z}/{x}/{y}.png"' in with_tiles


def test_zones_are_listed_and_show_their_plots(client, manager, coop, plot):
    zone = create_zone(
        organization=coop,
        code="VNL-01",
        name="Vùng cà phê Ea Tul",
        enterprise=EnterpriseFactory(name="Simexco Đắk Lắk"),
        plots=[plot],
        by=manager,
    )
    client.force_login(manager)

    listing = client.get(reverse("land:zone_list")).content.decode()
    detail = client.get(reverse("land:zone_detail", args=[zone.pk])).content.decode()

    assert "Simexco Đắk Lắk" in listing
    assert "EA-01" in detail


def test_a_farmer_sees_only_their_households_plots_and_cannot_add(client, farmer, plot, coop):
    neighbour = PlotFactory(member=MemberFactory(organization=coop), code="NB-01")
    client.force_login(farmer)

    page = client.get(reverse("land:plot_list")).content.decode()

    assert "EA-01" in page
    assert "NB-01" not in page
    assert client.get(reverse("land:plot_detail", args=[neighbour.pk])).status_code == 404
    assert client.get(reverse("land:plot_create")).status_code == 403
    assert reverse("land:plot_create") not in page


def test_another_cooperative_gets_not_found_for_plot_pages(client, other_manager, plot):
    client.force_login(other_manager)

    for name in ("land:plot_detail", "land:plot_edit"):
        assert client.get(reverse(name, args=[plot.pk])).status_code == 404
    assert client.post(reverse("land:crop_add", args=[plot.pk]), {}).status_code == 404
    assert "EA-01" not in client.get(reverse("land:map_data")).content.decode()
