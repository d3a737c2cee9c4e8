"""GS1's EPCIS 2.0 example documents capture over the REST binding and query back equal.

"Equal" means: the query returns exactly as many events as the document holds, and each
returned event equals its captured event field by field, as JSON values, except that
- identifiers (EPCs and classes in every list, parentID, read point, business location,
  sources, destinations, business transactions) are compared in their canonical spelling
  (`canonical_epc`), which is how the ledger stores them;
- an event captured without an eventID carries its CBV 2.0 event hash;
- every returned event carries the recordTime the repository set (a timestamp with
  offset, not before the capture began), in place of any the sender wrote;
- an event from a document whose @context declares prefixes of its own carries that
  @context, so its extension fields stay readable on their own.
"""

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.utils import timezone

from coopchain.lib import epcis_hash
from coopchain.lib.gs1 import canonical_epc
from coopchain.trace.models import CaptureJob, Event
from coopchain.trace.schemas import schema_errors
from coopchain.trace.services import STANDARD_CONTEXTS
from coopchain.trace.tests.epcis_support import EXAMPLES, bearer, example_paths, load, post_document

IDENTIFIER_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
TYPED_LISTS = (
    ("sourceList", "source"),
    ("destinationList", "destination"),
    ("bizTransactionList", "bizTransaction"),
)


def expected_event(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The captured event as the ledger must return it (module docstring), recordTime aside."""
    expected = copy.deepcopy(event)
    expected.pop("recordTime", None)  # the repository's to set, whatever the sender wrote
    for name in IDENTIFIER_LISTS:
        if name in expected:
            expected[name] = [canonical_epc(epc) for epc in expected[name]]
    for name in QUANTITY_LISTS:
        for element in expected.get(name, []):
            element["epcClass"] = canonical_epc(element["epcClass"])
    for name, key in TYPED_LISTS:
        for entry in expected.get(name, []):
            entry[key] = canonical_epc(entry[key])
    if "parentID" in expected:
        expected["parentID"] = canonical_epc(expected["parentID"])
    for name in ("readPoint", "bizLocation"):
        if name in expected:
            expected[name]["id"] = canonical_epc(expected[name]["id"])
    if "eventID" not in expected:
        expected["eventID"] = epcis_hash.event_hash(event, context)
    entries = context if isinstance(context, list) else [context]
    if not all(isinstance(e, str) and e in STANDARD_CONTEXTS for e in entries):
        expected.setdefault("@context", context)
    return expected


def by_key(events: list[dict[str, Any]]) -> dict[tuple[str, bool], dict[str, Any]]:
    """Events by what identifies them in a repository: eventID, and declaration or not."""
    keyed = {(e["eventID"], "errorDeclaration" in e): e for e in events}
    assert len(keyed) == len(events)
    return keyed


def query_all(client: Any, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get("/epcis/events", {"perPage": 1000}, **headers)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def headers(manager):
    return bearer(manager)


def test_every_gs1_example_document_is_found():
    assert len(example_paths()) == 46, EXAMPLES


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_gs1_example_captures_and_queries_back_equal(client, headers, path: Path):
    document = load(path)
    captured = document["epcisBody"]["eventList"]
    started = timezone.now() - timedelta(seconds=1)

    response = post_document(client, document, headers)

    assert response.status_code == 202, response.content
    job = client.get(response["Location"], **headers).json()
    assert (job["success"], job["running"], job["storedCount"]) == (True, False, len(captured))
    returned = query_all(client, headers)
    assert schema_errors(returned) == []
    events = returned["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert len(events) == len(captured)
    for event in events:
        record_time = datetime.fromisoformat(event.pop("recordTime"))
        assert record_time >= started
    expected = [expected_event(e, document["@context"]) for e in captured]
    assert by_key(events) == by_key(expected)


@pytest.mark.parametrize("path", example_paths()[:12], ids=lambda p: p.name)
def test_each_example_event_is_found_by_its_id(client, headers, path: Path):
    document = load(path)
    post_document(client, document, headers)
    for event in Event.objects.all():
        response = client.get(f"/epcis/events/{quote(event.event_id, safe='')}", **headers)
        assert response.status_code == 200
        found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        assert event.document in found
        assert all(e["eventID"] == event.event_id for e in found)


def test_a_hash_id_sent_unencoded_is_still_found(client, headers):
    post_document(client, load(EXAMPLES / "Example_9.6.1-ObjectEvent.jsonld"), headers)
    event_id = (
        "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0"
    )
    response = client.get(f"/epcis/events/{event_id}", **headers)
    assert response.status_code == 200
    assert response["GS1-EPCIS-Version"] == "2.0.0"


def test_a_query_document_is_captured_like_a_document(client, headers):
    document = load(EXAMPLES / "EPCISQueryDocument.jsonld")
    response = post_document(client, document, headers)
    assert response.status_code == 202, response.content
    assert Event.objects.count() == 2


def test_a_single_event_is_captured_at_events_with_its_location(client, headers):
    event = load(EXAMPLES / "Example_9.6.2-ObjectEvent.jsonld")["epcisBody"]["eventList"][0]
    single = {"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", **event}

    response = client.post(
        "/epcis/events", data=json.dumps(single), content_type="application/json", **headers
    )

    assert response.status_code == 201, response.content
    stored = Event.objects.get()
    assert response["Location"] == f"/epcis/events/{quote(stored.event_id, safe='')}"
    assert client.get(response["Location"], **headers).status_code == 200


def test_capture_answers_with_the_job_and_epcis_headers(client, headers, coop):
    response = post_document(client, load(EXAMPLES / "Example_9.6.1-ObjectEvent.jsonld"), headers)

    assert response.status_code == 202
    job = CaptureJob.objects.get()
    assert response["Location"] == f"/epcis/capture/{job.pk}"
    assert response["GS1-EPCIS-Version"] == "2.0.0"
    assert response["GS1-CBV-Version"] == "2.0.0"
    assert (job.status, job.organization, job.event_count, job.stored_count) == (
        CaptureJob.Status.SUCCEEDED,
        coop,
        2,
        2,
    )
    assert set(Event.objects.values_list("capture_job", flat=True)) == {job.pk}
    listed = client.get("/epcis/capture", **headers).json()
    assert [j["captureID"] for j in listed] == [str(job.pk)]


def test_capture_discovery_states_the_limits(client):
    response = client.options("/epcis/capture")
    assert response.status_code == 204
    assert response["GS1-Capture-Error-Behaviour"] == "rollback"
    assert int(response["GS1-EPCIS-Capture-Limit"]) > 0
    assert "POST" in response["Allow"]
