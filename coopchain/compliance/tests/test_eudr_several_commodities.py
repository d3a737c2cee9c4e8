"""One due-diligence statement for a shipment of several commodities: each HS code with its
own quantity and its own geolocation set, traced from its own lot; refused as a whole, every
failing line named, when any line fails."""

import json
from decimal import Decimal

import geojson
import pytest
from django.urls import reverse

from coopchain.compliance import services
from coopchain.compliance.models import Statement
from coopchain.compliance.tests.support import deforestation_free, harvest, make_plot
from coopchain.errors import InvalidInput


@pytest.fixture
def cocoa_plot(member, manager):
    plot = make_plot(member, "CO-01", by=manager, lon=108.060001, crop="cocoa")
    deforestation_free(plot, by=manager)
    return plot


@pytest.fixture
def cocoa_lot(cocoa_plot, manager):
    return harvest(cocoa_plot, by=manager, crop="cocoa", quantity="900")


def cocoa_line(lot, **overrides):
    values = {
        "lot": lot,
        "hs_code": "1801",
        "description": "Cocoa beans, fermented and dried",
        "net_mass_kg": Decimal("850"),
    }
    return services.CommodityLine(**(values | overrides))


def shipment(coffee_lot, *lines, hs_code="0901"):
    return services.StatementData(
        activity="export",
        description="Green Robusta coffee, grade 1",
        net_mass_kg=Decimal("1400"),
        hs_code=hs_code,
        more=tuple(lines),
    )


def test_each_commodity_has_its_hs_code_quantity_and_own_geolocation_file(
    coop, manager, harvest_lot, cocoa_lot
):
    statement = services.prepare_statement(
        operator=coop,
        lot=harvest_lot,
        data=shipment(harvest_lot, cocoa_line(cocoa_lot)),
        by=manager,
    )

    coffee, cocoa = statement.data["commodities"]
    assert (coffee["hsHeading"], coffee["netMassKg"], coffee["commodity"]) == (
        "0901",
        1400.0,
        "coffee",
    )
    assert (cocoa["hsHeading"], cocoa["netMassKg"], cocoa["commodity"]) == ("1801", 850.0, "cocoa")
    assert cocoa["description"] == "Cocoa beans, fermented and dried"
    assert coffee["geolocationFiles"] != cocoa["geolocationFiles"]
    files = {f["name"]: geojson.loads(f["text"]) for f in statement.files}
    assert sorted(files) == sorted(coffee["geolocationFiles"] + cocoa["geolocationFiles"])
    for collection in files.values():
        assert collection.is_valid, collection.errors()
    (coffee_file,) = coffee["geolocationFiles"]
    (cocoa_file,) = cocoa["geolocationFiles"]
    assert len(files[coffee_file]["features"]) == 1
    assert len(files[cocoa_file]["features"]) == 1
    assert files[coffee_file]["features"][0] != files[cocoa_file]["features"][0]
    assert [(r["plot"], r["hsHeading"]) for r in statement.data["riskTable"]] == [
        ("EA-01", "0901"),
        ("CO-01", "1801"),
    ]
    assert statement.net_mass_kg == Decimal("2250")


def test_a_failing_plot_of_the_second_commodity_refuses_the_whole_statement(
    coop, manager, harvest_lot, member
):
    bare = make_plot(member, "CO-02", by=manager, lon=108.070001, crop="cocoa")
    cocoa_lot = harvest(bare, by=manager, crop="cocoa")

    with pytest.raises(InvalidInput) as refused:
        services.prepare_statement(
            operator=coop,
            lot=harvest_lot,
            data=shipment(harvest_lot, cocoa_line(cocoa_lot)),
            by=manager,
        )

    fields = {e.field for e in refused.value.errors}
    assert fields == {"commodities[1].plots.CO-02"}
    assert "no land-use history is declared" in refused.value.errors[0].reason
    assert not Statement.objects.exists()


def test_a_line_with_a_commodity_outside_the_eudr_is_named(coop, manager, harvest_lot, cocoa_lot):
    with pytest.raises(InvalidInput) as refused:
        services.prepare_statement(
            operator=coop,
            lot=harvest_lot,
            data=shipment(harvest_lot, cocoa_line(cocoa_lot, hs_code="0904")),
            by=manager,
        )

    (error,) = refused.value.errors
    assert error.field == "commodities[1].hs_code"
    assert "0904 is not a commodity of the EUDR" in error.reason


def test_a_line_without_its_quantity_is_refused(coop, manager, harvest_lot, cocoa_lot):
    with pytest.raises(InvalidInput) as refused:
        services.prepare_statement(
            operator=coop,
            lot=harvest_lot,
            data=shipment(harvest_lot, cocoa_line(cocoa_lot, net_mass_kg=Decimal("0"))),
            by=manager,
        )

    assert [e.field for e in refused.value.errors] == ["commodities[1].net_mass_kg"]


def test_the_same_lot_cannot_be_two_lines(coop, manager, harvest_lot):
    with pytest.raises(InvalidInput) as refused:
        services.prepare_statement(
            operator=coop,
            lot=harvest_lot,
            data=shipment(harvest_lot, cocoa_line(harvest_lot, hs_code="0901")),
            by=manager,
        )

    assert [e.field for e in refused.value.errors] == ["commodities[1].lot"]


def test_a_single_commodity_statement_keeps_its_one_file_name(coop, manager, harvest_lot):
    statement = services.prepare_statement(
        operator=coop, lot=harvest_lot, data=shipment(harvest_lot), by=manager
    )

    assert [f["name"] for f in statement.files] == [f"{statement.reference}.geojson"]
    assert len(statement.data["commodities"]) == 1


def test_the_api_takes_further_commodities_each_from_its_own_lot(
    client, coop, manager, harvest_lot, cocoa_lot
):
    client.force_login(manager)

    response = client.post(
        f"/api/v1/lots/{harvest_lot.pk}/eudr/statements?organization_id={coop.pk}",
        json.dumps(
            {
                "description": "Green Robusta coffee",
                "net_mass_kg": "1400",
                "hs_code": "0901",
                "more": [
                    {
                        "lot_id": cocoa_lot.pk,
                        "hs_code": "1801",
                        "description": "Cocoa beans",
                        "net_mass_kg": "850",
                    }
                ],
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [c["hs_code"] for c in body["commodities"]] == ["0901", "1801"]
    assert len(body["files"]) == 2


def test_the_statement_page_lists_every_commodity(client, coop, manager, harvest_lot, cocoa_lot):
    statement = services.prepare_statement(
        operator=coop,
        lot=harvest_lot,
        data=shipment(harvest_lot, cocoa_line(cocoa_lot)),
        by=manager,
    )
    client.force_login(manager)

    page = client.get(reverse("compliance:statement_detail", args=[statement.pk])).content.decode()

    assert "Cocoa beans, fermented and dried" in page
    assert "1801" in page
    assert f"{statement.reference}-2-1801.geojson" in page


def test_the_eudr_page_prepares_a_statement_with_another_commodity(
    client, manager, harvest_lot, cocoa_lot
):
    client.force_login(manager)

    response = client.post(
        reverse("compliance:lot_eudr", args=[harvest_lot.pk]),
        {
            "activity": "export",
            "hs_code": "0901",
            "description": "Green Robusta coffee",
            "net_mass_kg": "1400",
            "more_lot": cocoa_lot.epc,
            "more_hs_code": "1801",
            "more_description": "Cocoa beans, fermented and dried",
            "more_net_mass_kg": "850",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Due-diligence statement" in page
    statement = Statement.objects.get()
    assert [c["hsHeading"] for c in statement.data["commodities"]] == ["0901", "1801"]
    assert "Cocoa beans, fermented and dried" in page


def test_the_eudr_page_names_the_other_commodities_failing_plot_and_keeps_the_input(
    client, manager, member, harvest_lot
):
    bare = make_plot(member, "CO-02", by=manager, lon=108.070001, crop="cocoa")
    cocoa_lot = harvest(bare, by=manager, crop="cocoa")
    client.force_login(manager)

    response = client.post(
        reverse("compliance:lot_eudr", args=[harvest_lot.pk]),
        {
            "activity": "export",
            "hs_code": "0901",
            "description": "Green Robusta coffee",
            "net_mass_kg": "1400",
            "more_lot": cocoa_lot.epc,
            "more_hs_code": "1801",
            "more_description": "Cocoa beans",
            "more_net_mass_kg": "850",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "plot CO-02: no land-use history is declared" in page
    assert 'value="Cocoa beans"' in page
    assert not Statement.objects.exists()


def test_the_eudr_page_refuses_another_commodity_it_cannot_find(client, manager, harvest_lot):
    client.force_login(manager)

    response = client.post(
        reverse("compliance:lot_eudr", args=[harvest_lot.pk]),
        {
            "activity": "export",
            "hs_code": "0901",
            "description": "Green Robusta coffee",
            "net_mass_kg": "1400",
            "more_lot": "NO-SUCH-LOT",
            "more_hs_code": "1801",
            "more_description": "Cocoa beans",
            "more_net_mass_kg": "850",
        },
    )

    assert "names no lot you may see" in response.content.decode()
    assert not Statement.objects.exists()
