"""The ledger service: what recording events stores, links and refuses."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopchain.errors import Conflict, Forbidden, InvalidInput
from coopchain.lib import epcis_hash
from coopchain.lib.gs1 import canonical_epc
from coopchain.parties.models import Role
from coopchain.parties.tests.factories import UserFactory, grant
from coopchain.trace.identifiers import issue_platform_lot_identifier
from coopchain.trace.models import Event, EventObject, GenealogyEdge, Lot
from coopchain.trace.schemas import DATA_DIR, schema_errors
from coopchain.trace.services import (
    EPCIS_CONTEXT,
    Quantity,
    aggregation_event,
    commissioning_event,
    error_declaration,
    receiving_event,
    record_event,
    record_events,
    shipping_event,
    transformation_event,
)
from coopchain.trace.tests.epcis_support import epcis_document, object_event

HANOI = timezone.get_fixed_timezone(420)
T0 = datetime(2025, 11, 20, 8, 0, tzinfo=HANOI)
PLOT = "urn:epc:id:sgln:8930000.00011.0"
MILL = "urn:epc:id:sgln:8930000.00028.0"


def cherry(lot: str) -> str:
    return f"urn:epc:class:lgtin:8930000.012345.{lot}"


def green(lot: str) -> str:
    return f"urn:epc:class:lgtin:8930000.054321.{lot}"


def bag(serial: str) -> str:
    return f"urn:epc:id:sgtin:8930000.054321.{serial}"


PALLET = "urn:epc:id:sscc:8930000.0000000001"


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def lot(epc: str) -> Lot:
    return Lot.objects.get(epc=canonical_epc(epc))


def edges() -> set[tuple[str, str]]:
    return {(e.source.epc, e.target.epc) for e in GenealogyEdge.objects.select_related()}


def test_transformation_links_every_input_to_every_output_with_quantities(coop):
    event = transformation_event(
        inputs=[Quantity(cherry("H1"), Decimal("500")), Quantity(cherry("H2"), Decimal("250.5"))],
        outputs=[Quantity(green("G1"), Decimal("150")), Quantity(green("G2"), Decimal("2"))],
        event_time=at(0),
        location=MILL,
    )

    result = record_event(organization=coop, event=event)

    stored = result.stored[0]
    assert edges() == {
        (canonical_epc(i), canonical_epc(o))
        for i in (cherry("H1"), cherry("H2"))
        for o in (green("G1"), green("G2"))
    }
    assert set(GenealogyEdge.objects.values_list("kind", "event", "organization").distinct()) == {
        (GenealogyEdge.Kind.TRANSFORMATION, stored.pk, coop.pk)
    }
    inputs = EventObject.objects.filter(event=stored, role=EventObject.Role.INPUT_CLASS)
    assert {(o.epc, o.quantity, o.uom, o.lot.epc) for o in inputs} == {
        (canonical_epc(cherry("H1")), Decimal("500"), "KGM", canonical_epc(cherry("H1"))),
        (canonical_epc(cherry("H2")), Decimal("250.5"), "KGM", canonical_epc(cherry("H2"))),
    }
    assert lot(green("G1")).kind == Lot.Kind.LGTIN
    assert lot(green("G1")).lot_number == "G1"
    assert lot(green("G1")).organization == coop
    assert stored.read_point == stored.biz_location == canonical_epc(MILL)


def test_aggregation_add_links_children_to_the_parent_and_delete_ends_the_links(coop):
    packed = aggregation_event(
        parent=PALLET, children=[bag("1"), bag("2"), bag("3")], event_time=at(0)
    )
    record_event(organization=coop, event=packed)
    assert edges() == {(canonical_epc(bag(s)), canonical_epc(PALLET)) for s in "123"}

    unpacked = aggregation_event(
        parent=PALLET, children=[bag("2")], event_time=at(5), action="DELETE"
    )
    delete = record_event(organization=coop, event=unpacked).stored[0]

    ended = GenealogyEdge.objects.filter(ended_by=delete).select_related("source")
    assert [e.source.epc for e in ended] == [canonical_epc(bag("2"))]
    assert GenealogyEdge.objects.count() == 3  # history stays for recalls

    everything_out = aggregation_event(
        parent=PALLET, children=[], event_time=at(6), action="DELETE"
    )
    last = record_event(organization=coop, event=everything_out).stored[0]
    assert GenealogyEdge.objects.filter(ended_by__isnull=True).count() == 0
    assert GenealogyEdge.objects.filter(ended_by=last).count() == 2
    assert delete.biz_step == "unpacking"


def test_a_delete_dated_before_the_packing_does_not_end_it(coop):
    record_event(
        organization=coop,
        event=aggregation_event(parent=PALLET, children=[bag("1")], event_time=at(10)),
    )
    record_event(
        organization=coop,
        event=aggregation_event(
            parent=PALLET, children=[bag("1")], event_time=at(1), action="DELETE"
        ),
    )
    assert GenealogyEdge.objects.get().ended_by is None


def test_commissioning_makes_a_harvest_lot_with_its_origin_and_dates(coop, member):
    harvest_uri = issue_platform_lot_identifier()
    event = commissioning_event(
        item=Quantity(harvest_uri, Decimal("812.5")),
        event_time=at(0),
        location=PLOT,
        lot_number="EA-TUL-2025-07",
        harvest_started_on=date(2025, 11, 1),
        harvest_ended_on=date(2025, 11, 3),
    )

    result = record_event(organization=coop, event=event, harvested_by=member)

    harvest = lot(harvest_uri)
    assert result.lots[harvest_uri] == harvest
    assert harvest.kind == Lot.Kind.PLATFORM
    assert harvest.lot_number == "EA-TUL-2025-07"
    assert (harvest.quantity, harvest.unit) == (Decimal("812.500"), "KGM")
    assert harvest.origin_location == canonical_epc(PLOT)
    assert (harvest.harvest_started_on, harvest.harvest_ended_on) == (
        date(2025, 11, 1),
        date(2025, 11, 3),
    )
    assert harvest.harvested_by == member
    assert harvest.organization == coop


def test_commissioning_fills_only_blank_details_of_a_lot_already_named(coop):
    record_event(
        organization=coop,
        event=transformation_event(
            inputs=[Quantity(cherry("H8"), 10)], outputs=[green("G8")], event_time=at(0)
        ),
    )
    record_event(
        organization=coop,
        event=commissioning_event(
            item=Quantity(cherry("H8"), 10), event_time=at(1), location=PLOT, lot_number="other"
        ),
    )
    harvest = lot(cherry("H8"))
    assert harvest.lot_number == "H8"  # from its identifier, set first
    assert harvest.origin_location == canonical_epc(PLOT)
    assert harvest.quantity == Decimal("10")


def test_observations_name_lots_without_making_new_ones(coop):
    record_event(organization=coop, event=commissioning_event(item=bag("1"), event_time=at(0)))
    shipped = record_event(
        organization=coop,
        event=shipping_event(items=[bag("1"), bag("99")], event_time=at(1)),
    ).stored[0]

    objects = {o.epc: o.lot_id for o in EventObject.objects.filter(event=shipped)}
    assert objects == {canonical_epc(bag("1")): lot(bag("1")).pk, canonical_epc(bag("99")): None}
    assert not Lot.objects.filter(epc=canonical_epc(bag("99"))).exists()


def test_recording_the_same_events_again_stores_nothing_new(coop):
    events = [
        commissioning_event(item=Quantity(cherry("H1"), 5), event_time=at(0)),
        transformation_event(
            inputs=[Quantity(cherry("H1"), 5)], outputs=[Quantity(green("G1"), 1)], event_time=at(1)
        ),
    ]
    first = record_events(organization=coop, events=events)
    counts = (Event.objects.count(), EventObject.objects.count(), GenealogyEdge.objects.count())

    again = record_events(organization=coop, events=events)

    assert again.stored == []
    assert again.skipped == first.event_ids == again.event_ids
    assert counts == (Event.objects.count(), EventObject.objects.count(), 1)


def test_the_same_event_in_another_spelling_is_a_repeat(coop):
    urn_spelling = object_event(bag("1"), action="ADD", biz_step="commissioning")
    link_spelling = object_event(
        "https://brand.example/01/08930000543219/21/1", action="ADD", biz_step="commissioning"
    )
    first = record_event(organization=coop, event=urn_spelling)
    again = record_event(organization=coop, event=link_spelling)
    assert again.stored == []
    assert again.skipped == first.event_ids


def test_an_event_id_reused_for_other_content_is_a_conflict_naming_the_event(coop):
    record_event(organization=coop, event=object_event(bag("1"), eventID="urn:uuid:7e57"))
    changed = object_event(bag("2"), eventID="urn:uuid:7e57")

    with pytest.raises(Conflict) as refused:
        record_events(organization=coop, events=[object_event(bag("3")), changed])

    assert [e.field for e in refused.value.errors] == ["/1/eventID"]
    assert refused.value.errors[0].row == 1
    assert Event.objects.count() == 1


def test_events_without_an_id_get_the_cbv_event_hash_and_a_record_time(coop):
    event = object_event(bag("1"))
    before = timezone.now()

    stored = record_event(organization=coop, event=event).stored[0]

    assert stored.event_id == epcis_hash.event_hash(event)
    assert stored.event_id.startswith("ni:///sha-256;")
    assert stored.document["eventID"] == stored.event_id
    recorded = datetime.fromisoformat(stored.document["recordTime"])
    assert before - timedelta(seconds=1) <= recorded <= timezone.now()
    assert stored.record_time >= before


def test_identifiers_are_stored_in_their_canonical_spelling(coop):
    event = object_event(
        bag("1"),
        quantityList=[{"epcClass": cherry("H1"), "quantity": 3, "uom": "KGM"}],
        readPoint={"id": MILL},
        bizLocation={"id": MILL},
        sourceList=[{"type": "owning_party", "source": "urn:epc:id:pgln:8930000.00011"}],
    )
    stored = record_event(organization=coop, event=event).stored[0]

    document = stored.document
    assert document["epcList"] == [canonical_epc(bag("1"))]
    assert document["epcList"][0].startswith("https://id.gs1.org/01/")
    assert document["quantityList"][0]["epcClass"] == canonical_epc(cherry("H1"))
    assert document["readPoint"] == {"id": canonical_epc(MILL)}
    assert document["sourceList"][0]["source"] == "https://id.gs1.org/417/8930000000118"
    assert set(EventObject.objects.filter(event=stored).values_list("epc", flat=True)) == {
        canonical_epc(bag("1")),
        canonical_epc(cherry("H1")),
    }


def test_cbv_terms_are_kept_in_the_columns_as_bare_words(coop):
    spellings = [
        object_event(bag("1"), biz_step="urn:epcglobal:cbv:bizstep:shipping"),
        object_event(bag("2"), biz_step="https://ref.gs1.org/cbv/BizStep-shipping"),
        object_event(
            bag("3"), biz_step="shipping", disposition="urn:epcglobal:cbv:disp:in_transit"
        ),
        object_event(bag("4"), biz_step="https://coop.example/steps/drying"),
    ]
    record_events(organization=coop, events=spellings)
    assert list(Event.objects.order_by("pk").values_list("biz_step", flat=True)) == [
        "shipping",
        "shipping",
        "shipping",
        "https://coop.example/steps/drying",
    ]
    assert Event.objects.get(disposition="in_transit").document["disposition"] == (
        "urn:epcglobal:cbv:disp:in_transit"
    )


def test_extension_fields_ilmd_and_sensor_data_are_kept(coop):
    context = [
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        {"coop": "https://coop.example/epcis/"},
    ]
    event = object_event(
        bag("1"),
        action="ADD",
        biz_step="commissioning",
        ilmd={"coop:moisture": 12.5, "cbvmda:lotNumber": "A"},
        sensorElementList=[
            {"sensorReport": [{"type": "gs1:Temperature", "value": 21.5, "uom": "CEL"}]}
        ],
        **{"coop:grade": {"coop:screen": "18"}},
    )
    stored = record_event(organization=coop, event=event, context=context).stored[0]

    assert stored.document["coop:grade"] == {"coop:screen": "18"}
    assert stored.document["ilmd"]["coop:moisture"] == 12.5
    assert stored.document["sensorElementList"] == event["sensorElementList"]
    assert stored.document["@context"] == context  # its prefixes stay readable
    assert stored.event_id == epcis_hash.event_hash(event, context)


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (
            {
                "epcList": [
                    "urn:epc:id:sgtin:8930000.054321.1",
                    "https://id.gs1.org/01/08930000543210",
                ]
            },
            "/1/epcList/1",
        ),
        ({"eventTime": "2025-11-20T08:00:00"}, "/1/eventTime"),
        ({"eventTimeZoneOffset": "7"}, "/1/eventTimeZoneOffset"),
        ({"type": "https://coop.example/HarvestEvent"}, "/1/type"),
        ({"action": "MOVE"}, "/1/action"),
        ({"epcList": ["not a uri"]}, "/1/epcList/0"),
        ({"bizLocation": {"id": "urn:epc:id:sgln:8930000.00011"}}, "/1/bizLocation/id"),
        ({"moisture": 12}, "/1/moisture"),
    ],
)
def test_a_bad_event_is_refused_with_a_pointer_and_nothing_is_stored(coop, change, pointer):
    events = [object_event(bag("1")), {**object_event(bag("2")), **change}]

    with pytest.raises(InvalidInput) as refused:
        record_events(organization=coop, events=events)

    assert pointer in [e.field for e in refused.value.errors]
    assert all(e.row == 1 for e in refused.value.errors)
    assert Event.objects.count() == 0
    assert Lot.objects.count() == 0


@pytest.mark.parametrize(
    ("event", "pointer"),
    [
        (aggregation_event(parent=PALLET, children=[], event_time=T0), "/0/childEPCs"),
        (
            {
                **aggregation_event(parent=PALLET, children=[bag("1")], event_time=T0),
                "parentID": None,
            },
            "/0/parentID",
        ),
        (
            {
                "type": "TransformationEvent",
                "eventTime": "2025-11-20T08:00:00Z",
                "eventTimeZoneOffset": "+00:00",
            },
            "/0/inputEPCList",
        ),
        (
            {
                "type": "TransactionEvent",
                "action": "ADD",
                "eventTime": "2025-11-20T08:00:00Z",
                "eventTimeZoneOffset": "+00:00",
                "epcList": [bag("1")],
            },
            "/0/bizTransactionList",
        ),
    ],
)
def test_each_event_type_needs_its_own_fields(coop, event, pointer):
    event = {k: v for k, v in event.items() if v is not None}
    with pytest.raises(InvalidInput) as refused:
        record_events(organization=coop, events=[event])
    assert pointer in [e.field for e in refused.value.errors]


def test_a_transformation_recorded_in_steps_is_linked_by_its_transformation_id(coop):
    tid = "urn:uuid:0b5e7a11-0000-4000-8000-000000000001"
    record_event(
        organization=coop,
        event=transformation_event(
            inputs=[Quantity(cherry("H1"), 100)],
            outputs=[],
            event_time=at(0),
            transformation_id=tid,
        ),
    )
    record_event(
        organization=coop,
        event=transformation_event(
            inputs=[], outputs=[Quantity(green("G1"), 20)], event_time=at(30), transformation_id=tid
        ),
    )
    assert edges() == {(canonical_epc(cherry("H1")), canonical_epc(green("G1")))}


def test_recording_needs_a_write_role_when_a_user_is_named(coop):
    reader = grant(UserFactory(), coop, Role.Name.BUYER)
    with pytest.raises(Forbidden):
        record_event(organization=coop, event=object_event(bag("1")), by=reader)
    assert Event.objects.count() == 0


def test_the_builders_make_events_the_epcis_schema_accepts(coop):
    events = [
        commissioning_event(
            item=Quantity(cherry("H1"), Decimal("12.5")),
            event_time=at(0),
            location=PLOT,
            lot_number="H1",
            harvest_started_on=date(2025, 11, 1),
        ),
        transformation_event(
            inputs=[Quantity(cherry("H1"), 12)], outputs=[bag("1")], event_time=at(1)
        ),
        aggregation_event(parent=PALLET, children=[bag("1")], event_time=at(2)),
        shipping_event(
            items=[PALLET],
            event_time=at(3),
            source_party="https://id.gs1.org/417/8930000000118",
            destination_party="https://id.gs1.org/417/8930000000125",
            biz_transactions=[("po", "https://buyer.example/po/42")],
        ),
        receiving_event(items=[PALLET], event_time=at(9), location=MILL),
    ]
    assert schema_errors(epcis_document(events)) == []
    result = record_events(organization=coop, events=events)
    assert result.stored_count == 5

    declaration = error_declaration(event=result.stored[3].document, declared_at=at(20))
    assert schema_errors(epcis_document([declaration])) == []


def test_events_are_read_with_the_prefixes_the_standard_context_declares():
    # The ledger never fetches the EPCIS context; its offline copy must agree with the
    # prefixes (cbvmda:, gs1:, ...) that ILMD and extension fields are read with.
    context = json.loads((DATA_DIR / "epcis-context.jsonld").read_text("utf-8"))["@context"]
    prefixes = {
        k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", ":", "#"))
    }
    terms = epcis_hash.hash_context(EPCIS_CONTEXT).terms
    assert len(prefixes) >= 8
    assert {k: terms.get(k) for k in prefixes} == prefixes
