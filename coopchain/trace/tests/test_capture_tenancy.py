"""One organization's captures, events and jobs are not another's to read."""

from urllib.parse import quote

import pytest

from coopchain.parties.models import Role
from coopchain.parties.tests.factories import UserFactory, grant
from coopchain.trace.models import CaptureJob, Event
from coopchain.trace.tests.epcis_support import (
    EXAMPLES,
    bearer,
    epcis_document,
    load,
    object_event,
    post_document,
)

EVENT_ID = (
    "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0"
)


@pytest.fixture
def captured_by_a(client, manager):
    response = post_document(
        client, load(EXAMPLES / "Example_9.6.1-ObjectEvent.jsonld"), bearer(manager)
    )
    assert response.status_code == 202
    return CaptureJob.objects.get()


def events_seen(client, headers) -> list:
    response = client.get("/epcis/events", **headers)
    assert response.status_code == 200
    return response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def test_org_b_sees_none_of_org_a_events(client, captured_by_a, other_manager):
    assert events_seen(client, bearer(other_manager)) == []


def test_org_b_gets_404_for_an_event_of_org_a(client, captured_by_a, other_manager):
    response = client.get(f"/epcis/events/{quote(EVENT_ID, safe='')}", **bearer(other_manager))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_org_b_gets_404_for_a_capture_job_of_org_a(client, captured_by_a, other_manager):
    headers = bearer(other_manager)
    assert client.get(f"/epcis/capture/{captured_by_a.pk}", **headers).status_code == 404
    assert client.get("/epcis/capture", **headers).json() == []


def test_org_a_sees_its_own(client, captured_by_a, manager):
    headers = bearer(manager)
    assert len(events_seen(client, headers)) == 2
    assert client.get(f"/epcis/capture/{captured_by_a.pk}", **headers).status_code == 200


def test_a_made_up_capture_id_is_404(client, manager):
    assert client.get("/epcis/capture/not-a-uuid", **bearer(manager)).status_code == 404


def test_naming_an_organization_one_does_not_work_for_is_404(client, captured_by_a, other_manager):
    headers = bearer(other_manager)
    organization = str(captured_by_a.organization_id)
    response = client.get("/epcis/events", HTTP_X_COOPCHAIN_ORGANIZATION=organization, **headers)
    assert response.status_code == 404


def test_the_same_event_id_in_two_organizations_is_two_records(client, manager, other_manager):
    event = object_event("urn:epc:id:sgtin:8930000.054321.1", eventID="urn:uuid:shared")
    changed = object_event("urn:epc:id:sgtin:8930000.054321.2", eventID="urn:uuid:shared")

    assert post_document(client, epcis_document([event]), bearer(manager)).status_code == 202
    response = post_document(client, epcis_document([changed]), bearer(other_manager))

    assert response.status_code == 202
    assert Event.objects.filter(event_id="urn:uuid:shared").count() == 2
    assert [e["epcList"] for e in events_seen(client, bearer(other_manager))] == [
        ["https://id.gs1.org/01/08930000543219/21/2"]
    ]


def test_a_farmer_cannot_capture_for_the_cooperative(client, coop, member):
    farmer = grant(UserFactory(username="farmer"), coop, Role.Name.FARMER, member=member)
    response = post_document(
        client, epcis_document([object_event("urn:epc:id:sgtin:8930000.054321.1")]), bearer(farmer)
    )
    assert response.status_code == 403
    assert not Event.objects.exists()
