"""GET /epcis/events: the standard query parameters, paging and ordering."""

from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from coopchain.lib.gs1 import canonical_epc
from coopchain.trace.models import Event
from coopchain.trace.schemas import schema_errors
from coopchain.trace.services import (
    Quantity,
    aggregation_event,
    commissioning_event,
    record_events,
    shipping_event,
    transformation_event,
)
from coopchain.trace.tests.epcis_support import bearer

HANOI = timezone.get_fixed_timezone(420)
T0 = datetime(2025, 11, 20, 8, 0, tzinfo=HANOI)
PLOT = "urn:epc:id:sgln:8930000.00011.0"
MILL = "urn:epc:id:sgln:8930000.00028.0"
PORT = "urn:epc:id:sgln:8930000.00035.0"
CHERRY = "urn:epc:class:lgtin:8930000.012345.H1"
GREEN = "urn:epc:class:lgtin:8930000.054321.G1"
BAG = "urn:epc:id:sgtin:8930000.054321.7"
ROASTED = "urn:epc:id:sgtin:8930000.054321.8"
PALLET = "urn:epc:id:sscc:8930000.0000000001"


@pytest.fixture
def headers(manager):
    return bearer(manager)


@pytest.fixture
def chain(coop) -> dict[str, str]:
    """A harvest, its hulling, bagging, palletising, shipping and a roasting: every kind of
    event, class-level and instance-level identifiers."""
    events = {
        "harvest": commissioning_event(
            item=Quantity(CHERRY, Decimal(500)), event_time=T0, location=PLOT
        ),
        "hulling": transformation_event(
            inputs=[Quantity(CHERRY, Decimal(500))],
            outputs=[Quantity(GREEN, Decimal(100))],
            event_time=T0 + timedelta(days=10),
            location=MILL,
        ),
        "bagging": commissioning_event(item=BAG, event_time=T0 + timedelta(days=11), location=MILL),
        "packing": aggregation_event(
            parent=PALLET, children=[BAG], event_time=T0 + timedelta(days=12), location=MILL
        ),
        "shipping": shipping_event(
            items=[PALLET], event_time=T0 + timedelta(days=13), location=PORT, read_point=PORT
        ),
        "roasting": transformation_event(
            inputs=[BAG], outputs=[ROASTED], event_time=T0 + timedelta(days=14), location=MILL
        ),
    }
    result = record_events(organization=coop, events=list(events.values()))
    return dict(zip(events, result.event_ids, strict=True))


def found(client, headers, **parameters) -> list[str]:
    response = client.get("/epcis/events", parameters, **headers)
    assert response.status_code == 200, response.content
    document = response.json()
    assert schema_errors(document) == []
    return [e["eventID"] for e in document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def names(chain: dict[str, str], ids: list[str]) -> set[str]:
    by_id = {v: k for k, v in chain.items()}
    return {by_id[i] for i in ids}


QUERIES = {
    "eventType": ({"eventType": "TransformationEvent"}, {"hulling", "roasting"}),
    "eventType, two": (
        {"eventType": "AggregationEvent|TransformationEvent"},
        {"hulling", "packing", "roasting"},
    ),
    "GE_eventTime": (
        {"GE_eventTime": "2025-12-02T08:00:00+07:00"},
        {"packing", "shipping", "roasting"},
    ),
    "LT_eventTime, strictly before": ({"LT_eventTime": "2025-11-30T01:00:00Z"}, {"harvest"}),
    "LT_eventTime": ({"LT_eventTime": "2025-11-30T01:00:00.001Z"}, {"harvest", "hulling"}),
    "EQ_action": ({"EQ_action": "ADD"}, {"harvest", "bagging", "packing"}),
    "EQ_bizStep, short name": ({"EQ_bizStep": "shipping"}, {"shipping"}),
    "EQ_bizStep, URN": ({"EQ_bizStep": "urn:epcglobal:cbv:bizstep:packing"}, {"packing"}),
    "EQ_bizStep, web URI": (
        {"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-commissioning"},
        {"harvest", "hulling", "bagging", "roasting"},
    ),
    "EQ_disposition": ({"EQ_disposition": "in_transit"}, {"shipping"}),
    "EQ_readPoint, URN": ({"EQ_readPoint": PORT}, {"shipping"}),
    "EQ_bizLocation, Digital Link": (
        {"EQ_bizLocation": canonical_epc(MILL)},
        {"hulling", "bagging", "packing", "roasting"},
    ),
    "MATCH_epc": ({"MATCH_epc": BAG}, {"bagging", "packing"}),
    "MATCH_epc, Digital Link on another host": (
        {"MATCH_epc": canonical_epc(BAG).replace("https://id.gs1.org", "https://coop.example")},
        {"bagging", "packing"},
    ),
    "MATCH_epc, pattern": (
        {"MATCH_epc": "urn:epc:idpat:sgtin:8930000.054321.*"},
        {"bagging", "packing"},
    ),
    "MATCH_parentID": ({"MATCH_parentID": PALLET}, {"packing"}),
    "MATCH_anyEPC": ({"MATCH_anyEPC": PALLET}, {"packing", "shipping"}),
    "MATCH_anyEPC, every role": ({"MATCH_anyEPC": BAG}, {"bagging", "packing", "roasting"}),
    "MATCH_inputEPC": ({"MATCH_inputEPC": BAG}, {"roasting"}),
    "MATCH_inputEPC, not a class": ({"MATCH_inputEPC": CHERRY}, set()),
    "MATCH_outputEPC": ({"MATCH_outputEPC": ROASTED}, {"roasting"}),
    "MATCH_epcClass": ({"MATCH_epcClass": CHERRY}, {"harvest"}),
    "MATCH_inputEPCClass": ({"MATCH_inputEPCClass": CHERRY}, {"hulling"}),
    "MATCH_outputEPCClass": ({"MATCH_outputEPCClass": GREEN}, {"hulling"}),
    "MATCH_anyEPCClass": ({"MATCH_anyEPCClass": CHERRY}, {"harvest", "hulling"}),
    "MATCH_anyEPCClass, pattern": (
        {"MATCH_anyEPCClass": "urn:epc:idpat:sgtin:8930000.054321.*"},
        {"hulling"},
    ),
    "two parameters together": (
        {"EQ_bizStep": "commissioning", "EQ_action": "ADD"},
        {"harvest", "bagging"},
    ),
}


@pytest.mark.parametrize(("parameters", "expected"), QUERIES.values(), ids=QUERIES.keys())
def test_each_query_parameter_selects_its_events(client, headers, chain, parameters, expected):
    assert names(chain, found(client, headers, **parameters)) == expected


def test_eq_event_id_finds_the_events_named(client, headers, chain):
    ids = found(client, headers, EQ_eventID=f"{chain['harvest']}|{chain['shipping']}")
    assert names(chain, ids) == {"harvest", "shipping"}


def test_record_time_bounds_select_by_capture_time(client, headers, chain, coop):
    later = record_events(
        organization=coop,
        events=[shipping_event(items=[BAG], event_time=T0 + timedelta(days=20))],
    ).stored[0]
    cut = later.record_time.isoformat()

    assert found(client, headers, GE_recordTime=cut) == [later.event_id]
    assert later.event_id not in found(client, headers, LT_recordTime=cut)
    assert len(found(client, headers, LT_recordTime=cut)) == 6


def test_results_come_in_the_order_asked_for(client, headers, chain):
    order = ("harvest", "hulling", "bagging", "packing", "shipping", "roasting")
    by_time = [chain[n] for n in order]
    assert found(client, headers, orderBy="eventTime", orderDirection="ASC") == by_time
    assert found(client, headers, orderBy="eventTime") == by_time[::-1]  # DESC by default
    assert found(client, headers, orderBy="recordTime", orderDirection="DESC")[-1] == by_time[0]


@pytest.fixture
def many(coop) -> list[str]:
    events = [
        shipping_event(
            items=[f"urn:epc:id:sgtin:8930000.054321.{n}"],
            event_time=T0 + timedelta(minutes=n % 7),  # ties in eventTime on purpose
        )
        for n in range(120)
    ]
    return record_events(organization=coop, events=events).event_ids


@pytest.mark.parametrize(
    "order", [{}, {"orderBy": "eventTime"}, {"orderBy": "eventTime", "orderDirection": "ASC"}]
)
def test_paging_through_120_events_50_at_a_time_gives_each_once(client, headers, many, order):
    seen: list[str] = []
    parameters = {"perPage": 50, **order}
    pages = 0
    while True:
        response = client.get("/epcis/events", parameters, **headers)
        assert response.status_code == 200
        events = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        seen += [e["eventID"] for e in events]
        pages += 1
        link = response.headers.get("Link")
        if link is None:
            break
        url, rel = link.split(";")
        assert rel.strip() == 'rel="next"'
        next_query = parse_qs(urlsplit(url.strip("<> ")).query)
        assert next_query["perPage"] == ["50"]
        parameters = {k: v[0] for k, v in next_query.items()}
    assert pages == 3
    assert sorted(seen) == sorted(many)
    if order:
        times = [Event.objects.get(event_id=i).event_time for i in seen]
        descending = order.get("orderDirection") != "ASC"
        assert times == sorted(times, reverse=descending)


def test_a_tampered_page_token_is_refused(client, headers, many):
    first = client.get("/epcis/events", {"perPage": 50}, **headers)
    token = parse_qs(urlsplit(first["Link"].split(";")[0].strip("<> ")).query)["nextPageToken"][0]
    response = client.get("/epcis/events", {"perPage": 50, "nextPageToken": token[:-2]}, **headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "nextPageToken"


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        ({"EQ_color": "red", "MATCH_epc": BAG}, "EQ_color"),
        ({"maxEventCount": "5"}, "maxEventCount"),
        ({"EQ_action": "MOVE"}, "EQ_action"),
        ({"GE_eventTime": "2025-11-20T08:00:00"}, "GE_eventTime"),
        ({"MATCH_epc": "https://id.gs1.org/01/08930000543210/21/1"}, "MATCH_epc"),
        ({"perPage": "0"}, "perPage"),
        ({"orderBy": "bizStep"}, "orderBy"),
        ({"orderBy": "eventTime", "orderDirection": "UP"}, "orderDirection"),
    ],
)
def test_a_bad_or_unknown_parameter_is_a_400_naming_it(client, headers, chain, parameters, named):
    response = client.get("/epcis/events", parameters, **headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert named in [e["field"] for e in response.json()["errors"]]


def test_the_answer_is_an_epcis_query_document_with_epcis_headers(client, headers, chain):
    response = client.get("/epcis/events", HTTP_ACCEPT="application/ld+json", **headers)
    assert response["Content-Type"] == "application/ld+json"
    assert response["GS1-EPCIS-Version"] == "2.0.0"
    document = response.json()
    assert document["type"] == "EPCISQueryDocument"
    assert schema_errors(document) == []
