import pytest

from coopchain.errors import NotFound
from coopchain.parties.models import Role
from coopchain.parties.tests.factories import EnterpriseFactory, UserFactory, grant
from coopchain.trace.models import Event, Lot
from coopchain.trace.selectors import (
    access_lot,
    backward_trace,
    forward_trace,
    visible_events,
    visible_lots,
)
from coopchain.trace.tests import factories as f


def test_the_cooperative_sees_its_lots_and_which_lots_descend_from_them(chain, manager):
    lots = set(visible_lots(manager))

    assert {*chain.harvests, chain.green, chain.export_lot, chain.container} <= lots


def test_the_cooperative_does_not_read_the_exporters_internal_events(chain, manager):
    export_step = Event.objects.get(
        event_objects__lot=chain.export_lot, event_objects__role="output_class"
    )
    events = set(visible_events(manager))

    assert chain.hulling in events
    assert chain.sale in events
    assert export_step not in events
    assert chain.export_shipment not in events


def test_forward_trace_for_the_cooperative_names_lots_and_customers_but_hides_their_steps(
    chain, manager
):
    trace = forward_trace(chain.green, user=manager)

    assert chain.container in trace.lots
    assert {o.name for o in trace.receivers} == {chain.exporter.name, chain.roaster.name}
    assert trace.hidden_events == 3  # the exporter's processing, packing and shipping
    assert all(event.organization == chain.coop for event in trace.events)


def test_the_exporter_sees_the_whole_chain_behind_the_lot_it_bought(chain, exporter_manager):
    trace = backward_trace(chain.container, user=exporter_manager)

    assert set(chain.harvests) <= set(trace.lots)
    assert chain.hulling in trace.events
    assert chain.sale in trace.events
    harvest_steps = [
        e for e in trace.events if e.biz_step == "commissioning" and e.event_type == "ObjectEvent"
    ]
    assert len(harvest_steps) == 4  # three harvests, and the container's commissioning
    assert trace.hidden_events == 0


def test_a_buyer_of_part_of_a_lot_does_not_see_what_another_buyer_made_of_it(
    chain, exporter_manager
):
    rival = EnterpriseFactory(name="Công ty Cà phê Khác")
    f.ship(chain.coop, [chain.green], to=rival, quantity=100)
    rival_lot = f.process(rival, [chain.green], quantity=100)
    rivals_step = Event.objects.get(
        event_objects__lot=rival_lot, event_objects__role="output_class"
    )

    assert rivals_step not in set(visible_events(exporter_manager))
    with pytest.raises(NotFound):
        access_lot(exporter_manager, lot_id=rival_lot.pk)


def test_another_cooperative_finds_nothing(chain, other_manager):
    assert not visible_lots(other_manager).exists()
    assert not visible_events(other_manager).exists()
    with pytest.raises(NotFound):
        access_lot(other_manager, lot_id=chain.green.pk)


def test_a_farmer_sees_their_own_harvest_lot_not_their_neighbours(chain, farmer, member):
    own = next(lot for lot in chain.harvests if lot.harvested_by == member)

    lots = set(visible_lots(farmer))

    assert own in lots
    assert not ({*chain.harvests} - {own}) & lots
    assert chain.green in lots  # where their coffee went


def test_an_officer_sees_no_lots(chain, officer):
    assert not visible_lots(officer).exists()


def test_the_receiver_holds_the_container_once_it_records_the_receipt(chain, roaster_manager):
    assert not visible_lots(roaster_manager).exists()

    f.receive(chain.roaster, [chain.container])

    trace = backward_trace(chain.container, user=roaster_manager)
    assert set(chain.harvests) <= set(trace.lots)
    assert chain.export_shipment in trace.events


def test_a_forward_trace_for_another_buyer_leaves_out_lots_it_cannot_see(chain):
    other = grant(UserFactory(username="other_buyer"), EnterpriseFactory(), Role.Name.BUYER)
    lot = f.new_lot(other.coop_roles.first().organization)

    trace = forward_trace(lot, user=other)

    assert trace.lots == [lot]
    assert Lot.objects.count() > 1
