from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopchain.parties.tests.factories import CooperativeFactory, MemberFactory
from coopchain.trace import genealogy
from coopchain.trace.models import GenealogyEdge
from coopchain.trace.selectors import backward_trace, forward_trace
from coopchain.trace.tests import factories as f


def test_backward_trace_reaches_every_harvest_lot_with_its_household(chain):
    trace = backward_trace(chain.container)

    assert {lot.pk for lot in trace.harvest_lots} == {lot.pk for lot in chain.harvests}
    assert {lot.harvested_by for lot in trace.harvest_lots} == set(chain.members)
    assert {lot.epc for lot in trace.lots} == {
        chain.container.epc,
        chain.export_lot.epc,
        chain.green.epc,
        *(lot.epc for lot in chain.harvests),
    }
    assert chain.hulling in trace.events


def test_backward_walk_lists_the_event_of_each_step(chain):
    walk = genealogy.backward(chain.container.pk)

    assert chain.hulling.event_id in walk.event_ids
    edge_events = {e.event for e in walk.edges}
    assert chain.hulling.pk in edge_events
    assert all(walk.reached(e.source) for e in walk.edges)


def test_forward_trace_finds_the_container_its_shipment_and_the_customer(chain):
    trace = forward_trace(chain.harvests[0])

    assert {lot.pk for lot in trace.lots} >= {
        chain.harvests[0].pk,
        chain.green.pk,
        chain.export_lot.pk,
        chain.container.pk,
    }
    assert chain.harvests[1] not in trace.lots
    shipped_events = {s.event for s in trace.shipments}
    assert shipped_events == {chain.sale, chain.export_shipment}
    assert {o.name for o in trace.receivers} == {chain.exporter.name, chain.roaster.name}


def test_a_cycle_recorded_by_mistake_ends_the_walk(coop, member):
    a = f.harvest(member)
    b = f.process(coop, [a])
    f.transform(coop, [(b, 1)], [(a, 1)])  # b -> a: a loop

    assert set(genealogy.backward(a.pk).lots) == {a.pk, b.pk}
    assert set(genealogy.forward(b.pk).lots) == {a.pk, b.pk}


def test_a_lot_with_no_history_traces_to_itself(coop):
    lot = f.new_lot(coop)

    walk = genealogy.backward(lot.pk)

    assert walk.lots == {lot.pk: lot.epc}
    assert walk.events == {}


def _reach(edges: set[tuple[int, int]], start: int, forward: bool) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for source, target in edges:
            near, far = (source, target) if forward else (target, source)
            if near == node and far not in seen:
                seen.add(far)
                todo.append(far)
    return seen


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    size=st.integers(min_value=2, max_value=9),
    pairs=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=20),
)
def test_backward_and_forward_traces_are_mirror_images(db, size, pairs):
    """b is downstream of a exactly when a is upstream of b, on any recorded chain (cycles
    and repeated edges included), and both agree with a plain walk over the same edges."""
    coop = CooperativeFactory()
    member = MemberFactory(organization=coop)
    lots = [f.harvest(member) for _ in range(size)]
    edges = {(s % size, t % size) for s, t in pairs if s % size != t % size}
    for source, target in sorted(edges):
        f.transform(coop, [(lots[source], 1)], [(lots[target], 1)])
    ids = [lot.pk for lot in lots]
    recorded = {(ids[s], ids[t]) for s, t in edges}
    assert set(GenealogyEdge.objects.values_list("source_id", "target_id")) >= recorded

    for a in ids:
        downstream = set(genealogy.forward(a).lots)
        assert downstream == _reach(recorded, a, forward=True)
        for b in ids:
            assert (b in downstream) == (a in genealogy.backward(b).lots)
