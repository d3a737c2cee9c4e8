import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coopchain.land.models import Crop, Plot
from coopchain.land.services import add_crop, create_zone
from coopchain.land.tests.factories import PlotFactory
from coopchain.land.tests.shapes import bow_tie, collection, feature, point, quadrilateral, square
from coopchain.parties.models import Role
from coopchain.parties.tests.factories import EnterpriseFactory, MemberFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_plots_are_listed_with_filters(client, manager, member, coop):
    coffee = PlotFactory(member=member, code="C1")
    PlotFactory(member=member, code="V1")
    add_crop(plot=coffee, crop=Crop.objects.get(code="coffee-robusta"), by=manager)
    client.force_login(manager)

    everything = client.get(f"{API}/plots").json()
    coffee_only = client.get(f"{API}/plots", {"crop": "coffee-robusta"}).json()
    searched = client.get(f"{API}/plots", {"q": "V1", "organization_id": coop.pk}).json()

    assert everything["count"] == 2
    assert [p["code"] for p in coffee_only["items"]] == ["C1"]
    assert coffee_only["items"][0]["crops"][0]["crop"] == "coffee-robusta"
    assert [p["code"] for p in searched["items"]] == ["V1"]


def test_a_plot_is_read_with_its_geojson(client, manager, member):
    plot = PlotFactory(member=member, code="C1")
    client.force_login(manager)

    body = client.get(f"{API}/plots/{plot.pk}").json()

    assert body["geometry"] == square(lon=body["geometry"]["coordinates"][0][0][0])
    assert body["member_code"] == member.code
    assert body["history"] == []


def test_a_plot_is_created_through_the_api(client, manager, member, coop):
    client.force_login(manager)

    response = post_json(
        client,
        f"{API}/organizations/{coop.pk}/plots",
        {"code": "N1", "member_code": member.code, "geometry": quadrilateral()},
    )

    assert response.status_code == 201
    assert response.json()["shape"] == "Polygon"
    assert float(response.json()["area_ha"]) == pytest.approx(1.7053, abs=0.001)


def test_a_bad_geometry_gets_problem_details_naming_field_and_position(
    client, manager, member, coop
):
    client.force_login(manager)
    open_ring = square()
    open_ring["coordinates"][0].pop()

    response = post_json(
        client,
        f"{API}/organizations/{coop.pk}/plots",
        {"code": "N1", "member_code": member.code, "geometry": open_ring},
    )

    problem = response.json()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert problem["errors"] == [
        {
            "field": "geometry.coordinates[0][3]",
            "reason": "is not closed: the last position [108.030001, 12.701001] must repeat "
            "the first [108.030001, 12.700001]",
        }
    ]


def test_trailing_zeros_sent_as_json_count_as_decimals(client, manager, member, coop):
    client.force_login(manager)
    body = json.dumps(
        {"code": "P1", "member_code": member.code, "declared_area_ha": 0.5, "geometry": point()}
    ).replace("108.030001", "108.030000")

    response = client.post(
        f"{API}/organizations/{coop.pk}/plots", body, content_type="application/json"
    )

    assert response.status_code == 201, response.json()


def test_a_geometry_is_checked_without_saving(client, manager, coop):
    client.force_login(manager)

    body = post_json(
        client, f"{API}/organizations/{coop.pk}/plots/check", {"geometry": bow_tie()}
    ).json()

    assert body["ok"] is False
    assert body["findings"][0]["code"] == "self_intersection"
    assert not Plot.objects.exists()


def test_a_redrawn_plot_answers_with_its_history(client, manager, member):
    plot = PlotFactory(member=member, code="C1", geometry=square())
    client.force_login(manager)

    response = client.put(
        f"{API}/plots/{plot.pk}",
        json.dumps(
            {
                "code": "C1",
                "member_code": member.code,
                "geometry": quadrilateral(),
                "note": "GPS",
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert [h["note"] for h in response.json()["history"]] == ["GPS"]


def test_plots_are_imported_and_exported_through_the_api(client, manager, member, coop):
    document = collection(feature(square(), member_code=member.code, plot_code="A"))
    client.force_login(manager)

    imported = client.post(
        f"{API}/organizations/{coop.pk}/plots/import",
        {"file": SimpleUploadedFile("lo.geojson", json.dumps(document).encode())},
    )
    exported = client.get(f"{API}/organizations/{coop.pk}/plots/export")

    assert imported.status_code == 200
    assert imported.json()["created"] == 1
    assert exported["Content-Type"] == "application/geo+json"
    assert exported.json()["features"][0]["properties"]["plot_code"] == "A"


def test_a_refused_import_is_a_problem_listing_each_feature(client, manager, member, coop):
    document = collection(
        feature(square(), member_code=member.code, plot_code="A"),
        feature(bow_tie(lon=108.04), member_code=member.code, plot_code="B"),
    )
    client.force_login(manager)

    response = client.post(
        f"{API}/organizations/{coop.pk}/plots/import",
        {"file": SimpleUploadedFile("lo.geojson", json.dumps(document).encode())},
    )

    assert response.status_code == 400
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [
        (2, "geometry.coordinates")
    ]
    assert not Plot.objects.exists()


def test_crops_and_zones_through_the_api(client, manager, member, coop):
    plot = PlotFactory(member=member, code="C1")
    exporter = EnterpriseFactory()
    client.force_login(manager)

    crops = client.get(f"{API}/crops").json()
    added = post_json(
        client, f"{API}/plots/{plot.pk}/crops", {"crop": "coffee-arabica", "tree_count": 900}
    )
    zone = post_json(
        client,
        f"{API}/organizations/{coop.pk}/zones",
        {"code": "Z1", "name": "Vùng 1", "enterprise_id": exporter.pk, "plot_ids": [plot.pk]},
    )

    assert {c["code"]: c["hs_heading"] for c in crops}["cinnamon"] == "0906"
    assert added.status_code == 201
    assert added.json()["tree_count"] == 900
    assert zone.status_code == 201
    assert zone.json()["plot_ids"] == [plot.pk]
    assert client.get(f"{API}/zones").json()["count"] == 1


def test_the_enterprise_supplied_sees_the_zone_but_not_the_plots(client, manager, coop, member):
    plot = PlotFactory(member=member)
    exporter = EnterpriseFactory()
    buyer = grant(UserFactory(username="exporter"), exporter, Role.Name.BUYER)
    zone = create_zone(
        organization=coop, code="Z1", name="Vùng 1", enterprise=exporter, plots=[plot], by=manager
    )
    client.force_login(buyer)

    assert client.get(f"{API}/zones/{zone.pk}").status_code == 200
    assert client.get(f"{API}/plots/{plot.pk}").status_code == 404


def test_another_cooperative_gets_not_found_from_the_plot_api(client, other_manager, member, coop):
    plot = PlotFactory(member=member)
    client.force_login(other_manager)

    assert client.get(f"{API}/plots/{plot.pk}").status_code == 404
    assert client.get(f"{API}/plots").json()["count"] == 0
    put = client.put(f"{API}/plots/{plot.pk}", "{}", content_type="application/json")
    assert put.status_code in (400, 404)
    created = post_json(
        client,
        f"{API}/organizations/{coop.pk}/plots",
        {"code": "X", "member_code": member.code, "geometry": square()},
    )
    assert created.status_code == 404
    assert client.get(f"{API}/organizations/{coop.pk}/plots/export").status_code == 404


def test_listing_plots_costs_the_same_queries_for_many_plots(
    client, manager, member, django_assert_max_num_queries
):
    for _ in range(12):
        plot = PlotFactory(member=member)
        add_crop(plot=plot, crop=Crop.objects.get(code="coffee-robusta"), by=manager)
    client.force_login(manager)

    with django_assert_max_num_queries(12):
        listed = client.get(f"{API}/plots").json()
    with django_assert_max_num_queries(14):
        client.get("/plots/")
    with django_assert_max_num_queries(12):
        client.get("/plots/map.geojson")

    assert listed["count"] == 12


def test_a_farmer_reads_only_their_households_plots(client, farmer, member, coop):
    own = PlotFactory(member=member, code="OWN")
    neighbour = PlotFactory(member=MemberFactory(organization=coop), code="NB")
    client.force_login(farmer)

    listed = client.get(f"{API}/plots").json()

    assert [p["code"] for p in listed["items"]] == ["OWN"]
    assert client.get(f"{API}/plots/{own.pk}").status_code == 200
    assert client.get(f"{API}/plots/{neighbour.pk}").status_code == 404
    refused = post_json(
        client,
        f"{API}/organizations/{coop.pk}/plots",
        {"code": "X", "member_code": member.code, "geometry": square(lon=108.06)},
    )
    assert refused.status_code == 403
