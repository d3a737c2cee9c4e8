"""Walks over the genealogy index: which lots a lot came from, and which came from it.

Each walk is one SQL statement: a recursive common table expression over
`GenealogyEdge` by integer lot ids (the `genealogy_backward` and `genealogy_forward`
indexes), with UNION rather than UNION ALL so that a lot reached twice is walked once and
a cycle (which a wrong capture could create) ends the walk instead of looping. The same
SQL runs on SQLite and PostgreSQL.

These functions see every edge: they answer "what is connected", and the selectors decide
what a user may see of it (coopchain/trace/selectors.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from django.db import connections

from coopchain.trace.models import Event, EventObject, GenealogyEdge, Lot

Direction = Literal["backward", "forward"]

# The ledger stores standard business steps as the bare CBV word, whichever of the three
# spellings came in (coopchain.trace.services).
SHIPPING = "shipping"
# The roles in which a shipping event names what it ships (an ObjectEvent's EPCs or
# quantities, an AggregationEvent's parent); looking only there skips the many events in
# which a lot is an input, an output or a packed child.
SHIPPED_ROLES = ("epc", "epc_class", "parent")


class Edge(NamedTuple):
    """`source` went into `target` through event `event` (primary keys)."""

    source: int
    target: int
    event: int


@dataclass(frozen=True)
class Trace:
    """What one walk reached: every lot (start included) with its canonical identifier, the
    events behind the edges walked, and for forward walks the shipments out of them."""

    direction: Direction
    start: tuple[int, ...]
    lots: dict[int, str]
    events: dict[int, str]
    edges: tuple[Edge, ...]
    # Forward only: shipping events naming a reached lot -> the lot ids they name, and
    # their eventIDs.
    shipments: dict[int, tuple[int, ...]] = field(default_factory=dict)
    shipment_events: dict[int, str] = field(default_factory=dict)

    @property
    def event_ids(self) -> list[str]:
        """EPCIS eventIDs of the steps walked, shipments included, without repeats."""
        return list(dict.fromkeys([*self.events.values(), *self.shipment_events.values()]))

    def reached(self, lot_id: int) -> bool:
        return lot_id in self.lots


def _tables() -> dict[str, str]:
    return {
        "edge": GenealogyEdge._meta.db_table,
        "lot": Lot._meta.db_table,
        "event": Event._meta.db_table,
        "object": EventObject._meta.db_table,
    }


def _walk_sql(direction: Direction, seeds: int) -> str:
    """The recursive CTE `reached(id)` from `seeds` placeholders, in `direction`."""
    near, far = (
        ("target_id", "source_id") if direction == "backward" else ("source_id", "target_id")
    )
    t = _tables()
    placeholders = ", ".join(["%s"] * seeds)
    return (
        f"WITH RECURSIVE reached(id) AS ("  # noqa: S608 - model names; values bound
        f" SELECT id FROM {t['lot']} WHERE id IN ({placeholders})"
        f" UNION"
        f" SELECT e.{far} FROM {t['edge']} e JOIN reached r ON e.{near} = r.id"
        f")"
    )


def walk(
    lot_ids: Iterable[int], direction: Direction, *, using: str = "default", shipments: bool = True
) -> Trace:
    """Every lot reachable from `lot_ids` in `direction`, with the edges and events walked.

    One statement returns the edges with the far lot's identifier and the event's eventID;
    a forward walk adds, in the same statement, the shipping events naming a reached lot.
    """
    start = tuple(dict.fromkeys(int(i) for i in lot_ids))
    if not start:
        return Trace(direction, (), {}, {}, ())
    near, far = (
        ("target_id", "source_id") if direction == "backward" else ("source_id", "target_id")
    )
    t = _tables()
    # CROSS JOIN fixes the join order on SQLite (walk result first, then index look-ups);
    # without it the planner, blind to the CTE's size, may scan every lot.
    sql = (
        f"{_walk_sql(direction, len(start))}"  # noqa: S608 - model names; values bound
        f" SELECT 0, e.{far}, e.{near}, e.event_id, l.epc, ev.event_id"
        f" FROM reached r CROSS JOIN {t['edge']} e CROSS JOIN {t['lot']} l"
        f" CROSS JOIN {t['event']} ev"
        f" WHERE e.{near} = r.id AND l.id = e.{far} AND ev.id = e.event_id"
        f" UNION ALL"
        f" SELECT 1, l.id, l.id, 0, l.epc, '' FROM {t['lot']} l"
        f" WHERE l.id IN ({', '.join(['%s'] * len(start))})"
    )
    params: list[object] = [*start, *start]
    if direction == "forward" and shipments:
        roles = ", ".join(["%s"] * len(SHIPPED_ROLES))
        # The event is looked up in subqueries, not joined: a join lets SQLite build a Bloom
        # filter over every event first, a full scan of the largest table.
        sql += (
            f" UNION ALL"  # noqa: S608 - model names; values bound
            f" SELECT 2, o.lot_id, o.lot_id, o.event_id, '',"
            f" (SELECT ev.event_id FROM {t['event']} ev WHERE ev.id = o.event_id)"
            f" FROM reached r CROSS JOIN {t['object']} o"
            f" WHERE o.lot_id = r.id AND o.role IN ({roles}) AND EXISTS"
            f" (SELECT 1 FROM {t['event']} ev WHERE ev.id = o.event_id AND ev.biz_step = %s)"
        )
        params += [*SHIPPED_ROLES, SHIPPING]
    lots: dict[int, str] = {}
    events: dict[int, str] = {}
    edges: list[Edge] = []
    shipped: dict[int, list[int]] = {}
    shipment_events: dict[int, str] = {}
    backward = direction == "backward"
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kind, far_id, near_id, event_pk, epc, event_id in rows:
        if kind == 0:
            lots[far_id] = epc
            events[event_pk] = event_id
            edges.append(
                Edge(far_id, near_id, event_pk) if backward else Edge(near_id, far_id, event_pk)
            )
        elif kind == 1:
            lots[far_id] = epc
        else:
            shipped.setdefault(event_pk, []).append(far_id)
            shipment_events[event_pk] = event_id
    return Trace(
        direction=direction,
        start=start,
        lots=lots,
        events=events,
        # Each edge comes once: the walk reaches each lot once and an edge joins one pair.
        edges=tuple(edges),
        shipments={pk: tuple(dict.fromkeys(ids)) for pk, ids in shipped.items()},
        shipment_events=shipment_events,
    )


def backward(lot_ids: Iterable[int] | int, *, using: str = "default") -> Trace:
    """Every ancestor of the lot(s), down to the harvest lots."""
    return walk([lot_ids] if isinstance(lot_ids, int) else lot_ids, "backward", using=using)


def forward(lot_ids: Iterable[int] | int, *, using: str = "default") -> Trace:
    """Every descendant of the lot(s), and the shipping events naming any of them."""
    return walk([lot_ids] if isinstance(lot_ids, int) else lot_ids, "forward", using=using)


def closure_sql(direction: Direction, seed_sql: str) -> str:
    """SQL selecting the ids reachable in `direction` from the ids `seed_sql` selects, for
    use inside another query (`id IN (...)`); `seed_sql` keeps its own placeholders."""
    near, far = (
        ("target_id", "source_id") if direction == "backward" else ("source_id", "target_id")
    )
    edge = GenealogyEdge._meta.db_table
    return (
        f"WITH RECURSIVE reached(id) AS ("  # noqa: S608 - model names; values bound
        f" {seed_sql}"
        f" UNION"
        f" SELECT e.{far} FROM {edge} e JOIN reached r ON e.{near} = r.id"
        f") SELECT id FROM reached"
    )
