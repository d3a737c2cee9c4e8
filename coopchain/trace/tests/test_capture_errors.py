"""Bad capture input: a 400 problem naming the event and field, nothing stored, a failed job."""

import copy
import json

import pytest
from django.test import Client

from coopchain.parties.models import Role
from coopchain.parties.tests.factories import CooperativeFactory, UserFactory, grant
from coopchain.trace.models import CaptureJob, Event, EventObject, GenealogyEdge, Lot
from coopchain.trace.tests.epcis_support import (
    EXAMPLES,
    bearer,
    epcis_document,
    load,
    object_event,
    post_document,
)

GOOD = "urn:epc:id:sgtin:8930000.054321.1"


@pytest.fixture
def headers(manager):
    # Reasons are asserted in English; the platform answers in Vietnamese by default.
    return {**bearer(manager), "HTTP_ACCEPT_LANGUAGE": "en"}


def nothing_stored() -> bool:
    return not (
        Event.objects.exists()
        or EventObject.objects.exists()
        or Lot.objects.exists()
        or GenealogyEdge.objects.exists()
    )


def document_with(change: dict) -> dict:
    """Three good events, the middle one changed."""
    events = [object_event(GOOD), {**object_event(GOOD, biz_step="receiving"), **change}]
    events.append(object_event(GOOD, biz_step="storing"))
    return epcis_document(events)


CASES = {
    "schema: a required field missing": (
        {"eventTimeZoneOffset": None},
        "/epcisBody/eventList/1/eventTimeZoneOffset",
        "is required",
    ),
    "schema: an unknown event type": (
        {"type": "HarvestEvent"},
        "/epcisBody/eventList/1/type",
        "event type",
    ),
    "an event type EPCIS does not define": (
        {"type": "https://coop.example/HarvestEvent"},
        "/epcisBody/eventList/1/type",
        "event type",
    ),
    "schema: an identifier that is not a URI": (
        {"epcList": [GOOD, "8930000 054321 1"]},
        "/epcisBody/eventList/1/epcList/1",
        "uri",
    ),
    "an unparseable identifier": (
        {"epcList": ["urn:epc:id:sgtin:8930000.054321"]},
        "/epcisBody/eventList/1/epcList/0",
        "SGTIN",
    ),
    "a bad check digit": (
        {"epcList": ["https://id.gs1.org/01/08930000543210/21/1"]},
        "/epcisBody/eventList/1/epcList/0",
        "check digit",
    ),
    "a time without offset": (
        {"eventTime": "2025-11-20T08:00:00"},
        "/epcisBody/eventList/1/eventTime",
        "date-time",
    ),
    "a field without a namespace prefix": (
        {"moisture": 12.5},
        "/epcisBody/eventList/1/moisture",
        "namespace prefix",
    ),
    "a location with a bad check digit": (
        {"bizLocation": {"id": "https://id.gs1.org/414/8930000000117"}},
        "/epcisBody/eventList/1/bizLocation/id",
        "check digit",
    ),
}


@pytest.mark.parametrize(("change", "pointer", "reason"), CASES.values(), ids=CASES.keys())
def test_bad_input_is_a_400_problem_naming_the_event_and_field(
    client, headers, change, pointer, reason
):
    document = document_with({k: v for k, v in change.items() if v is not None})
    for name, value in change.items():
        if value is None:
            del document["epcisBody"]["eventList"][1][name]

    response = post_document(client, document, headers)

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert pointer in [e["field"] for e in problem["errors"]]
    named = next(e for e in problem["errors"] if e["field"] == pointer)
    assert reason.lower() in named["reason"].lower()
    assert problem["detail"].startswith(pointer)
    assert nothing_stored()
    job = CaptureJob.objects.get()
    assert problem["captureID"] == str(job.pk)
    assert job.status == CaptureJob.Status.FAILED
    assert pointer in [e["field"] for e in job.errors]
    shown = client.get(f"/epcis/capture/{job.pk}", **headers).json()
    assert (shown["success"], shown["running"]) == (False, False)
    assert shown["errors"][0]["detail"].startswith("/epcisBody/eventList/1/")


def test_a_capture_failing_on_its_last_event_stores_none_of_the_others(client, headers):
    events = [object_event(f"urn:epc:id:sgtin:8930000.054321.{n}") for n in range(200)]
    events[-1]["epcList"] = ["https://id.gs1.org/01/08930000543210/21/1"]

    response = post_document(client, epcis_document(events), headers)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "/epcisBody/eventList/199/epcList/0"
    assert nothing_stored()


def test_a_duplicate_document_is_accepted_and_stores_nothing_new(client, headers):
    document = load(EXAMPLES / "Example_9.6.3-AggregationEvent.jsonld")
    first = post_document(client, document, headers)
    counts = [m.objects.count() for m in (Event, EventObject, Lot, GenealogyEdge)]

    again = post_document(client, copy.deepcopy(document), headers)

    assert (first.status_code, again.status_code) == (202, 202)
    assert [m.objects.count() for m in (Event, EventObject, Lot, GenealogyEdge)] == counts
    job = client.get(again["Location"], **headers).json()
    assert (job["success"], job["eventCount"], job["storedCount"]) == (True, 1, 0)


def test_a_document_captured_without_event_ids_twice_stores_it_once(client, headers):
    document = epcis_document([object_event(GOOD), object_event(GOOD, biz_step="receiving")])
    assert post_document(client, document, headers).status_code == 202
    assert post_document(client, document, headers).status_code == 202
    assert Event.objects.count() == 2


def test_an_event_id_reused_for_other_content_is_a_409_naming_the_event(client, headers):
    post_document(client, epcis_document([object_event(GOOD, eventID="urn:uuid:1")]), headers)
    changed = epcis_document(
        [object_event(GOOD), object_event(GOOD, eventID="urn:uuid:1", biz_step="receiving")]
    )

    response = post_document(client, changed, headers)

    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "/epcisBody/eventList/1/eventID"
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        (json.dumps([]), "application/json", 400),
        ("<EPCISDocument/>", "application/xml", 415),
    ],
)
def test_a_body_that_is_no_epcis_json_is_refused(client, headers, body, content_type, status):
    response = client.post("/epcis/capture", data=body, content_type=content_type, **headers)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert nothing_stored()


def test_another_epcis_version_is_not_acceptable(client, headers):
    document = epcis_document([object_event(GOOD)])
    response = post_document(client, document, headers, HTTP_GS1_EPCIS_VERSION="1.2")
    assert response.status_code == 406
    assert nothing_stored()


def test_capture_needs_authentication(client, db):
    response = post_document(client, epcis_document([object_event(GOOD)]), {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not CaptureJob.objects.exists()


def test_capture_needs_a_write_role(client, coop):
    reader = grant(UserFactory(username="reader"), coop, Role.Name.BUYER)
    response = post_document(client, epcis_document([object_event(GOOD)]), bearer(reader))
    assert response.status_code == 403
    assert nothing_stored()


def test_a_user_of_several_organizations_names_the_capturing_one(client, manager, coop):
    second = CooperativeFactory(name="HTX Hồ tiêu Chư Sê")
    grant(manager, second, Role.Name.MANAGER)
    headers = bearer(manager)
    document = epcis_document([object_event(GOOD)])

    refused = post_document(client, document, headers)
    accepted = post_document(
        client, document, headers, HTTP_X_COOPCHAIN_ORGANIZATION=str(second.pk)
    )

    assert refused.status_code == 400
    assert "X-CoopChain-Organization" in refused.json()["detail"]
    assert accepted.status_code == 202
    assert Event.objects.get().organization == second


def test_the_uri_format_is_really_checked(client, headers):
    document = epcis_document([object_event(GOOD, readPoint={"id": "not a uri"})])
    response = post_document(client, document, headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "/epcisBody/eventList/0/readPoint/id"


def test_a_browser_session_needs_its_csrf_token_to_capture(manager, coop):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)

    refused = post_document(browser, epcis_document([object_event(GOOD)]), {})

    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert nothing_stored()
    assert browser.get("/epcis/capture").status_code == 200  # reading needs no token


def test_a_browser_session_captures_like_a_token(client, manager):
    client.force_login(manager)  # the test client stands in for a page that sent its token
    response = post_document(client, epcis_document([object_event(GOOD)]), {})
    assert response.status_code == 202
    assert Event.objects.count() == 1


def test_a_method_the_resource_does_not_have_is_405(client, headers):
    response = client.put("/epcis/capture", data="{}", content_type="application/json", **headers)
    assert response.status_code == 405
    assert "POST" in response["Allow"]
