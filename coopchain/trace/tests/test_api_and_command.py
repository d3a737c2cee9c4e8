import json
from io import StringIO

import pytest
from django.core.management import call_command

from coopchain.parties.tests.factories import PASSWORD


@pytest.fixture
def api(client, manager):
    client.login(username=manager.username, password=PASSWORD)
    return client


def test_backward_trace_through_the_api_lists_every_lot_and_event(api, chain):
    response = api.get(f"/api/v1/trace/lots/{chain.green.pk}/backward")

    body = response.json()
    assert response.status_code == 200
    assert set(body["lots"]) == {chain.green.epc, *(lot.epc for lot in chain.harvests)}
    assert chain.hulling.event_id in body["events"]


def test_forward_trace_by_identifier_names_the_customers(api, chain):
    body = api.get("/api/v1/trace/forward", {"epc": chain.harvests[0].epc}).json()

    assert chain.container.epc in body["lots"]
    receivers = {name for s in body["shipments"] for name in s["receivers"]}
    assert receivers == {chain.exporter.name, chain.roaster.name}
    assert body["hiddenEvents"] == 3  # the exporter's processing, packing and shipping


def test_another_organizations_lot_is_not_found(client, other_manager, chain):
    client.login(username=other_manager.username, password=PASSWORD)

    response = client.get(f"/api/v1/trace/lots/{chain.green.pk}/backward")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_product_with_a_bad_gtin_is_a_problem_naming_the_field(api, coop):
    response = api.post(
        f"/api/v1/trace/organizations/{coop.pk}/products",
        {"name": "Cà phê nhân", "gtin": "8934567890121"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "gtin"


def test_a_recall_through_the_api_lists_the_lots_it_marked(api, chain, coop):
    response = api.post(
        f"/api/v1/trace/lots/{chain.green.pk}/recall",
        {"organization_id": coop.pk, "reason": "Foreign matter"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert set(response.json()["lots"]) == {
        chain.green.epc,
        chain.export_lot.epc,
        chain.container.epc,
    }


def test_the_trace_command_prints_lots_and_events_as_json(chain):
    out = StringIO()

    call_command(
        "trace", chain.container.epc, "--direction", "backward", "--format", "json", stdout=out
    )

    body = json.loads(out.getvalue())
    assert chain.container.epc in body["lots"]
    assert {lot.epc for lot in chain.harvests} <= set(body["lots"])
    assert chain.hulling.event_id in body["events"]


def test_the_trace_command_goes_forward_from_a_harvest_lot(chain):
    out = StringIO()

    call_command("trace", chain.harvests[1].epc, "--direction", "forward", stdout=out)

    body = json.loads(out.getvalue())
    assert chain.container.epc in body["lots"]
    assert chain.export_shipment.event_id in body["events"]
