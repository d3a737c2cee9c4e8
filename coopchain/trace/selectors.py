"""Reads of the ledger used by more than one caller (EPCIS query, trace pages, recall, API).

Visibility (DESIGN.md principle 3, custody as issue 3 states it):
- events belong to the organization that captured them;
- an organization has *held* a lot when it owns it (first named it) or captured an event
  naming it;
- backward, it sees the chain of every lot it has held: the ancestor lots, the events behind
  each genealogy edge into that chain, and the events each ancestor's owner recorded about
  its own lot (its harvest, its drying, its shipping);
- forward, it sees which lots descend from the lots it owns and who received them, but not
  the events other organizations recorded downstream (a buyer of part of a lot does not
  learn what another buyer made of the rest);
- a farmer holds the harvest lots of their own household.
The rules are registered with the tenancy helper below, so `scope(Lot…)`, `scope(Event…)`
and `get_scoped(...)` apply them wherever lots and events are served.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from coopchain.errors import NotFound
from coopchain.lib.gs1 import IdentifierError, canonical_epc
from coopchain.parties.models import Organization, Role
from coopchain.parties.tenancy import Grants, grants_for, register, scope
from coopchain.trace import genealogy
from coopchain.trace.genealogy import Direction, Edge
from coopchain.trace.identifiers import normalise_code, organizations_for_parties, platform_lot_uri
from coopchain.trace.models import (
    Event,
    EventObject,
    GenealogyEdge,
    Lot,
    Product,
    Recall,
    YieldFactor,
)

# Roles that act for their organization in the ledger; farmers hold their own household's
# lots only, and officers see aggregates, never lots.
_LEDGER_ROLES = frozenset(Role.Name.values) - {Role.Name.FARMER, Role.Name.OFFICER}


def ledger_org_ids(grants: Grants) -> tuple[int, ...]:
    return tuple(sorted({r.organization_id for r in grants.roles if r.name in _LEDGER_ROLES}))


def _in(values: Iterable[Any]) -> str:
    return ", ".join(["%s"] * len(list(values)))


# SQL templates: table names come from the models, every value is a bound parameter.
_HELD_BY_ORGS = (
    "SELECT id FROM {lot} WHERE organization_id IN ({orgs})"
    " UNION SELECT o.lot_id FROM {object} o JOIN {event} ev ON ev.id = o.event_id"
    " WHERE ev.organization_id IN ({orgs}) AND o.lot_id IS NOT NULL"
)
_OWNED_BY_ORGS = "SELECT id FROM {lot} WHERE organization_id IN ({orgs})"
_HELD_BY_HOUSEHOLDS = "SELECT id FROM {lot} WHERE harvested_by_id IN ({members})"
_UP = (
    "up(id) AS (SELECT id FROM held"
    " UNION SELECT e.source_id FROM {edge} e JOIN up ON e.target_id = up.id)"
)
_DOWN = (
    "down(id) AS (SELECT id FROM owned"
    " UNION SELECT e.target_id FROM {edge} e JOIN down ON e.source_id = down.id)"
)
# Events on the backward chain of the lots in `{lots}` (a CTE): the events behind edges
# into it, and each lot's owner's own events on it.
_CHAIN_EVENTS = (
    "SELECT e.event_id FROM {edge} e JOIN {lots} s ON e.target_id = s.id"
    " UNION SELECT o.event_id FROM {object} o JOIN {lots} s ON o.lot_id = s.id"
    " JOIN {lot} l ON l.id = o.lot_id JOIN {event} ev ON ev.id = o.event_id"
    " WHERE ev.organization_id = l.organization_id"
)
_VISIBLE_LOTS = (
    "WITH RECURSIVE held(id) AS ({held}), owned(id) AS ({owned}), {up}, {down}"
    " SELECT id FROM up UNION SELECT id FROM down"
)
_CHAIN_EVENTS_OF_HELD = "WITH RECURSIVE held(id) AS ({held}), {up} {chain}"
_CHAIN_EVENTS_OF_LOTS = "WITH chain(id) AS (SELECT id FROM {lot} WHERE id IN ({ids})) {chain}"


def _sql(template: str, **parts: str) -> str:
    tables = {
        "lot": Lot._meta.db_table,
        "event": Event._meta.db_table,
        "object": EventObject._meta.db_table,
        "edge": GenealogyEdge._meta.db_table,
    }
    return template.format(**tables, **parts)


def _subquery(sql_and_params: tuple[str, list[Any]]) -> RawSQL:
    sql, params = sql_and_params
    return RawSQL(sql, params)  # noqa: S611 - built from _sql templates, values bound


def _held_sql(grants: Grants, *, owned_only: bool = False) -> tuple[str, list[Any]]:
    """SELECT of the ids of lots the user's organizations (or household) have held, or with
    `owned_only` of those they own (first named)."""
    org_ids = ledger_org_ids(grants)
    member_ids = tuple(sorted(grants.farmer_member_ids))
    parts: list[str] = []
    params: list[Any] = []
    if org_ids:
        parts.append(_sql(_OWNED_BY_ORGS if owned_only else _HELD_BY_ORGS, orgs=_in(org_ids)))
        params += org_ids if owned_only else [*org_ids, *org_ids]
    if member_ids:
        parts.append(_sql(_HELD_BY_HOUSEHOLDS, members=_in(member_ids)))
        params += member_ids
    return " UNION ".join(parts), params


def visible_lot_ids_sql(grants: Grants) -> tuple[str, list[Any]] | None:
    """Backward from every lot held, forward from every lot owned (module docstring)."""
    held, held_params = _held_sql(grants)
    if not held:
        return None
    owned, owned_params = _held_sql(grants, owned_only=True)
    sql = _sql(_VISIBLE_LOTS, held=held, owned=owned, up=_sql(_UP), down=_sql(_DOWN))
    return sql, [*held_params, *owned_params]


def _chain_event_ids_sql(grants: Grants) -> tuple[str, list[Any]] | None:
    held, params = _held_sql(grants)
    if not held:
        return None
    chain = _sql(_CHAIN_EVENTS, lots="up")
    return _sql(_CHAIN_EVENTS_OF_HELD, held=held, up=_sql(_UP), chain=chain), params


def _nothing() -> Q:
    return Q(pk__in=[])


def _lot_rule(grants: Grants) -> Q:
    visible = visible_lot_ids_sql(grants)
    return Q(pk__in=_subquery(visible)) if visible else _nothing()


def _event_rule(grants: Grants) -> Q:
    chain = _chain_event_ids_sql(grants)
    if chain is None:
        return _nothing()
    return Q(organization_id__in=ledger_org_ids(grants)) | Q(pk__in=_subquery(chain))


def _event_object_rule(grants: Grants) -> Q:
    chain = _chain_event_ids_sql(grants)
    if chain is None:
        return _nothing()
    return Q(event__organization_id__in=ledger_org_ids(grants)) | Q(event_id__in=_subquery(chain))


def _edge_rule(grants: Grants) -> Q:
    visible = visible_lot_ids_sql(grants)
    if visible is None:
        return _nothing()
    return Q(source_id__in=_subquery(visible)) & Q(target_id__in=_subquery(visible))


def _recall_rule(grants: Grants) -> Q:
    visible = visible_lot_ids_sql(grants)
    own = Q(organization_id__in=ledger_org_ids(grants))
    if visible is None:
        return own
    touching = Recall.lots.through.objects.filter(lot_id__in=_subquery(visible))
    return own | Q(pk__in=touching.values("recall_id"))


def _own_records(grants: Grants) -> Q:
    return Q(organization_id__in=ledger_org_ids(grants))


register(Lot, _lot_rule)
register(Event, _event_rule)
register(EventObject, _event_object_rule)
register(GenealogyEdge, _edge_rule)
register(Recall, _recall_rule)
register(Product, _own_records)
register(YieldFactor, _own_records)


def visible_events(user: Any) -> QuerySet[Event]:
    """The events `user` may read (see the module docstring)."""
    return scope(Event.objects.all(), user)


def visible_lots(user: Any) -> QuerySet[Lot]:
    """The lots `user` may see (see the module docstring)."""
    return scope(Lot.objects.all(), user)


def chain_event_ids(lot_ids: Iterable[int]) -> set[int]:
    """Events on the backward chain of exactly these lots (what a public trace page shows)."""
    ids = tuple(lot_ids)
    if not ids:
        return set()
    sql = _sql(_CHAIN_EVENTS_OF_LOTS, ids=_in(ids), chain=_sql(_CHAIN_EVENTS, lots="chain"))
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return {row[0] for row in cursor.fetchall()}


# --- lots and products ---------------------------------------------------------------


def held_lots(user: Any, organization: Organization) -> QuerySet[Lot]:
    """Lots `organization` owns or has named in one of its events (its lot list)."""
    if organization.pk not in ledger_org_ids(grants_for(user)):
        return Lot.objects.none()
    named = EventObject.objects.filter(event__organization=organization, lot__isnull=False)
    return Lot.objects.filter(Q(organization=organization) | Q(pk__in=named.values("lot_id")))


def lot_list(
    user: Any, *, organization: Organization, search: str = "", status: str = "", kind: str = ""
) -> QuerySet[Lot]:
    lots = held_lots(user, organization).select_related("product", "organization")
    if search:
        text = search.strip()
        lots = lots.filter(
            Q(lot_number__icontains=text)
            | Q(epc__icontains=text)
            | Q(product__name__icontains=text)
        )
    if status:
        lots = lots.filter(status=status)
    if kind == "harvest":
        lots = lots.filter(harvested_by__isnull=False)
    return lots.order_by("-created_at", "-id")


def product_list(user: Any, *, organization: Organization | None = None) -> QuerySet[Product]:
    products = scope(Product.objects.all(), user)
    if organization is not None:
        products = products.filter(organization=organization)
    return products.order_by("name")


def lot_for_identifier(text: str) -> Lot | None:
    """The lot an identifier names, in any spelling: a Digital Link or EPC URN, a platform
    lot URI or its bare short code. No visibility applied: callers scope the result."""
    text = text.strip()
    if not text:
        return None
    code = normalise_code(text)
    if code is not None and "/" not in text and ":" not in text:
        return Lot.objects.filter(epc=platform_lot_uri(code)).first()
    try:
        epc = canonical_epc(text)
    except IdentifierError:
        return None
    return Lot.objects.filter(epc=epc).first()


def access_lot(user: Any, *, lot_id: int | None = None, epc: str = "") -> Lot:
    """A lot the user may see, by id or identifier; NotFound otherwise."""
    lots = visible_lots(user).select_related("product", "organization", "harvested_by")
    if lot_id is not None:
        lot = lots.filter(pk=lot_id).first()
    else:
        found = lot_for_identifier(epc)
        lot = lots.filter(pk=found.pk).first() if found else None
    if lot is None:
        raise NotFound(detail="No lot matches.")
    return lot


# --- traces --------------------------------------------------------------------------


@dataclass
class Shipment:
    event: Event
    lots: list[Lot]
    shipped_by: Organization
    receivers: list[Organization]
    # Destination URIs that name no organization on the platform (a buyer abroad, say).
    other_destinations: list[str]


@dataclass
class LotTrace:
    """A trace as a user (or the public) may see it."""

    direction: Direction
    start: list[Lot]
    lots: list[Lot]
    edges: list[Edge]
    events: list[Event]
    shipments: list[Shipment] = field(default_factory=list)
    # Steps on the walk recorded by organizations whose internal events the viewer may not read.
    hidden_events: int = 0

    @property
    def harvest_lots(self) -> list[Lot]:
        return [lot for lot in self.lots if lot.harvested_by_id or not self._has_sources(lot)]

    def _has_sources(self, lot: Lot) -> bool:
        return any(edge.target == lot.pk for edge in self.edges)

    @property
    def receivers(self) -> list[Organization]:
        seen: dict[int, Organization] = {}
        for shipment in self.shipments:
            for organization in shipment.receivers:
                seen.setdefault(organization.pk, organization)
        return list(seen.values())

    def as_json(self) -> dict[str, Any]:
        by_pk = {lot.pk: lot for lot in self.lots}
        return {
            "direction": self.direction,
            "start": [lot.epc for lot in self.start],
            "lots": [lot.epc for lot in self.lots],
            "lotDetails": [_lot_json(lot) for lot in self.lots],
            "events": [event.event_id for event in self.events],
            "edges": [
                {
                    "source": by_pk[e.source].epc,
                    "target": by_pk[e.target].epc,
                    "eventID": next((ev.event_id for ev in self.events if ev.pk == e.event), None),
                }
                for e in self.edges
                if e.source in by_pk and e.target in by_pk
            ],
            "shipments": [
                {
                    "eventID": s.event.event_id,
                    "eventTime": s.event.event_time.isoformat(),
                    "lots": [lot.epc for lot in s.lots],
                    "shippedBy": s.shipped_by.name,
                    "receivers": [o.name for o in s.receivers],
                    "otherDestinations": s.other_destinations,
                }
                for s in self.shipments
            ],
            "hiddenEvents": self.hidden_events,
        }


def _lot_json(lot: Lot) -> dict[str, Any]:
    return {
        "id": lot.pk,
        "epc": lot.epc,
        "lotNumber": lot.lot_number,
        "product": lot.product.name if lot.product else None,
        "organization": lot.organization.name,
        "quantity": str(lot.quantity) if lot.quantity is not None else None,
        "unit": lot.unit,
        "status": lot.status,
    }


def _hydrate_lots(ids: Iterable[int]) -> dict[int, Lot]:
    lots = Lot.objects.filter(pk__in=list(ids)).select_related(
        "product", "organization", "harvested_by", "harvested_by__ward", "organization__ward"
    )
    return {lot.pk: lot for lot in lots}


def _events(ids: Iterable[int]) -> list[Event]:
    return list(
        Event.objects.filter(pk__in=list(ids))
        .select_related("organization")
        .prefetch_related(Prefetch("event_objects", queryset=EventObject.objects.order_by("id")))
        .order_by("event_time", "id")
    )


def _shipments(walk: genealogy.Trace, lots: dict[int, Lot]) -> list[Shipment]:
    events = _events(walk.shipments)
    destinations: dict[int, list[str]] = {}
    for event in events:
        destinations[event.pk] = [
            d.get("destination", "")
            for d in event.document.get("destinationList", [])
            if isinstance(d, dict)
        ]
    parties = organizations_for_parties({uri for uris in destinations.values() for uri in uris})
    shipments = []
    for event in events:
        receivers: dict[int, Organization] = {}
        others = []
        for uri in destinations[event.pk]:
            if uri in parties:
                receivers.setdefault(parties[uri].pk, parties[uri])
            elif uri:
                others.append(uri)
        receivers.pop(event.organization_id, None)  # a party's own location is no customer
        shipments.append(
            Shipment(
                event=event,
                lots=[lots[i] for i in walk.shipments[event.pk] if i in lots],
                shipped_by=event.organization,
                receivers=list(receivers.values()),
                other_destinations=list(dict.fromkeys(others)),
            )
        )
    return shipments


def trace_lots(
    lots: list[Lot], direction: Direction, *, user: Any = None, public: bool = False
) -> LotTrace:
    """The backward or forward trace of `lots`, as `user` may see it.

    With no user and not public: everything (the operator's command line). Public: the
    chain of a published lot, events limited to those on its backward chain.
    """
    walk = genealogy.walk([lot.pk for lot in lots], direction)
    hydrated = _hydrate_lots(walk.lots)
    if user is not None:
        allowed = set(
            visible_lots(user).filter(pk__in=list(walk.lots)).values_list("pk", flat=True)
        )
        hydrated = {pk: lot for pk, lot in hydrated.items() if pk in allowed}
    candidates = set(walk.events) | set(walk.shipment_events)
    if direction == "backward":
        candidates |= chain_event_ids(hydrated)
    if user is not None:
        shown = set(
            visible_events(user).filter(pk__in=list(candidates)).values_list("pk", flat=True)
        )
    else:
        shown = candidates
    edges = [e for e in walk.edges if e.source in hydrated and e.target in hydrated]
    hidden = len(({e.event for e in edges} | set(walk.shipment_events)) - shown)
    shipments = _shipments(walk, hydrated) if direction == "forward" else []
    return LotTrace(
        direction=direction,
        start=[hydrated.get(lot.pk, lot) for lot in lots],
        lots=sorted(hydrated.values(), key=lambda lot: (lot.created_at, lot.pk)),
        edges=edges,
        events=_events(shown),
        shipments=shipments,
        hidden_events=hidden,
    )


def backward_trace(lot: Lot, *, user: Any = None) -> LotTrace:
    return trace_lots([lot], "backward", user=user)


def forward_trace(lots: Lot | list[Lot], *, user: Any = None) -> LotTrace:
    return trace_lots(lots if isinstance(lots, list) else [lots], "forward", user=user)


def lots_from_location(location_uri: str) -> list[Lot]:
    """Harvest lots whose origin is a plot or place: where a forward trace from a plot
    starts."""
    return list(Lot.objects.filter(origin_location=location_uri))


def lot_events(lot: Lot, *, user: Any) -> list[Event]:
    """The events naming `lot` that `user` may read, oldest first."""
    ids = EventObject.objects.filter(lot=lot).values("event_id")
    return list(
        visible_events(user)
        .filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related("event_objects")
        .order_by("event_time", "id")
    )


def made_quantity(lot: Lot) -> tuple[Decimal | None, str]:
    """How much the lot is: its commissioned quantity, else what the steps that made it
    output (the ledger keeps a transformation's output quantities on its event only)."""
    if lot.quantity is not None:
        return lot.quantity, lot.unit
    made = EventObject.objects.filter(
        lot=lot,
        role__in=[EventObject.Role.OUTPUT, EventObject.Role.OUTPUT_CLASS],
        quantity__isnull=False,
        event__declared_erroneous_by__isnull=True,
    )
    total = made.aggregate(total=Sum("quantity"))["total"]
    unit = made.values_list("uom", flat=True).first() or lot.unit
    return total, unit


def lots_named_by(events: Iterable[Event]) -> dict[int, list[int]]:
    """Lot ids each event names, by event pk (from prefetched objects)."""
    named: dict[int, list[int]] = defaultdict(list)
    for event in events:
        for obj in event.event_objects.all():
            if obj.lot_id:
                named[event.pk].append(obj.lot_id)
    return named
