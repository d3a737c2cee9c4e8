"""Error declarations correct recorded events without deleting them (EPCIS 2.0, 7.4.1.4)."""

from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import timezone

from coopchain.errors import Conflict
from coopchain.trace.models import Event, GenealogyEdge
from coopchain.trace.services import (
    Quantity,
    error_declaration,
    record_event,
    record_events,
    shipping_event,
    transformation_event,
)
from coopchain.trace.tests.epcis_support import EXAMPLES, bearer, load, post_document

HANOI = timezone.get_fixed_timezone(420)
T0 = datetime(2025, 11, 20, 8, 0, tzinfo=HANOI)
CHERRY = "urn:epc:class:lgtin:8930000.012345.H1"
GREEN = "urn:epc:class:lgtin:8930000.054321.G1"
BAG = "urn:epc:id:sgtin:8930000.054321.7"


def hulling(green_kg: int) -> dict:
    return transformation_event(
        inputs=[Quantity(CHERRY, Decimal(500))],
        outputs=[Quantity(GREEN, Decimal(green_kg))],
        event_time=T0,
    )


def test_a_declaration_marks_the_event_it_corrects_and_both_stay(coop):
    wrong = record_event(organization=coop, event=hulling(150)).stored[0]
    corrected = record_event(organization=coop, event=hulling(100)).stored[0]

    declaration = error_declaration(
        event=wrong.document,
        declared_at=T0 + timedelta(days=1),
        corrective_event_ids=[corrected.event_id],
    )
    stored = record_event(organization=coop, event=declaration).stored[0]

    wrong.refresh_from_db()
    assert wrong.declared_erroneous_by == stored
    assert stored.is_error_declaration
    assert stored.event_id == wrong.event_id
    assert stored.document["errorDeclaration"]["correctiveEventIDs"] == [corrected.event_id]
    assert Event.objects.count() == 3  # nothing deleted
    assert corrected.declared_erroneous_by is None


def test_a_declaration_without_an_event_id_finds_its_event_by_hash(coop):
    wrong = record_event(organization=coop, event=hulling(150)).stored[0]
    declaration = {**hulling(150), "errorDeclaration": {"declarationTime": "2025-11-21T08:00:00Z"}}

    stored = record_event(organization=coop, event=declaration).stored[0]

    assert stored.event_id == wrong.event_id
    wrong.refresh_from_db()
    assert wrong.declared_erroneous_by == stored


def test_a_declaration_adds_no_genealogy_and_ends_none(coop):
    wrong = record_event(organization=coop, event=hulling(150)).stored[0]
    edges = list(GenealogyEdge.objects.values_list("source", "target", "event", "ended_by"))

    record_event(organization=coop, event=error_declaration(event=wrong.document, declared_at=T0))

    assert list(GenealogyEdge.objects.values_list("source", "target", "event", "ended_by")) == edges


def test_an_event_captured_after_its_declaration_is_marked_on_arrival(coop):
    event = shipping_event(items=[BAG], event_time=T0)
    declaration = {**event, "errorDeclaration": {"declarationTime": "2025-11-21T08:00:00Z"}}
    record_event(organization=coop, event=declaration)

    original = record_event(organization=coop, event=event).stored[0]

    assert original.declared_erroneous_by == Event.objects.get(is_error_declaration=True)


def test_an_event_and_its_declaration_in_one_document(coop):
    event = shipping_event(items=[BAG], event_time=T0)
    declaration = {**event, "errorDeclaration": {"declarationTime": "2025-11-21T08:00:00Z"}}

    result = record_events(organization=coop, events=[declaration, event])

    original = Event.objects.get(is_error_declaration=False)
    assert result.stored_count == 2
    assert original.declared_erroneous_by == Event.objects.get(is_error_declaration=True)


def test_a_repeated_declaration_is_skipped_and_a_different_one_refused(coop):
    event = record_event(organization=coop, event=hulling(150)).stored[0]
    declaration = error_declaration(event=event.document, declared_at=T0)
    record_event(organization=coop, event=declaration)

    assert record_event(organization=coop, event=declaration).stored == []
    other = error_declaration(event=event.document, declared_at=T0, reason="did_not_occur")
    with pytest.raises(Conflict):
        record_event(organization=coop, event=other)


def test_another_organizations_declaration_does_not_touch_our_event(coop, other_coop):
    ours = record_event(organization=coop, event=hulling(150)).stored[0]

    record_event(
        organization=other_coop, event=error_declaration(event=ours.document, declared_at=T0)
    )

    ours.refresh_from_db()
    assert ours.declared_erroneous_by is None


def test_the_query_returns_an_event_with_its_declaration(client, manager):
    headers = bearer(manager)
    document = load(EXAMPLES / "WithErrorDeclaration" / "ErrorDeclarationAndCorrectiveEvent.jsonld")
    declared_id = document["epcisBody"]["eventList"][0]["eventID"]
    original = {
        k: v for k, v in document["epcisBody"]["eventList"][0].items() if k != "errorDeclaration"
    }
    post_document(client, {**document, "epcisBody": {"eventList": [original]}}, headers)

    assert post_document(client, document, headers).status_code == 202

    by_id = client.get(f"/epcis/events/{quote(declared_id, safe='')}", **headers).json()
    events = by_id["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [("errorDeclaration" in e) for e in events] == [False, True]
    declared = client.get("/epcis/events", {"EXISTS_errorDeclaration": "true"}, **headers).json()
    listed = declared["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [e["eventID"] for e in listed] == [declared_id]
    assert Event.objects.get(event_id=declared_id, is_error_declaration=False).declared_erroneous_by
