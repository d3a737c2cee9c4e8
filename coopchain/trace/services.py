"""The ledger service: every EPCIS 2.0 event enters the platform through `record_events`.

Other apps build events with the small builders at the end of this module
(`commissioning_event`, `transformation_event`, `aggregation_event`, `shipping_event`,
`receiving_event`, `error_declaration`) and record them here; the EPCIS capture interface
records partners' documents here too. Nothing else writes Event, EventObject, Lot or
GenealogyEdge rows (DESIGN.md, principle 1).

What recording does (the checks first, then every write in one transaction, so the list
is stored whole or not at all):

- validates each event: a known type, `eventTime` with a UTC offset and a valid
  `eventTimeZoneOffset`, identifiers that parse (check digits included), the fields each
  type needs; every problem is a FieldError whose `field` is a JSON pointer into the list
  (``/3/epcList/0``) and whose `row` is the event's index;
- spells every identifier (EPCs, classes, parent, read point, business location, sources,
  destinations, business transactions) canonically, as `coopchain.lib.gs1.canonical_epc`
  does, in the stored document and in the index;
- gives events without an `eventID` the CBV 2.0 event hash, and sets `recordTime`;
- skips events already stored with identical content, so a retried capture stores nothing
  new; the same eventID with other content is a Conflict;
- stores the event as captured (extensions, ILMD, sensor data and unknown-but-prefixed
  fields kept) with the capture document's own `@context` when it declares prefixes the
  standard context does not, so the extension fields stay readable;
- indexes every identifier by role (EventObject, quantities included), makes a Lot for
  every identifier the genealogy touches and every object an ObjectEvent ADD commissions,
  and adds GenealogyEdge rows as the models module describes;
- ends open aggregation edges on an AggregationEvent DELETE, and marks the event an error
  declaration corrects (`declared_erroneous_by`) without deleting anything. A declaration
  repeats the eventID of the event it corrects (EPCIS 2.0, 7.4.1.4) and is stored beside
  it with `is_error_declaration`; it adds no lots and no genealogy.

Columns are spelt for easy filtering: `biz_step` and `disposition` hold the bare CBV word
(`shipping`, `in_transit`) for standard values, whatever spelling came in (bare word,
``urn:epcglobal:cbv:bizstep:shipping`` or ``https://ref.gs1.org/cbv/BizStep-shipping``),
and the URI as given for others; `read_point`, `biz_location` and `EventObject.epc` hold
canonical identifiers. Use `vocabulary_value` and `canonical_epc` to spell query values
the same way.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache, partial
from typing import Any, Final
from urllib.parse import unquote

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.errors import Conflict, FieldError, InvalidInput
from coopchain.lib import epcis_hash, gs1
from coopchain.parties.models import Member, Organization
from coopchain.parties.tenancy import require_write
from coopchain.trace.identifiers import platform_code_of
from coopchain.trace.models import CaptureJob, Event, EventObject, GenealogyEdge, Lot, Product

__all__ = [
    "EPCIS_CONTEXT",
    "Quantity",
    "RecordResult",
    "aggregation_event",
    "commissioning_event",
    "error_declaration",
    "parse_timestamp",
    "receiving_event",
    "record_event",
    "record_events",
    "shipping_event",
    "transformation_event",
    "vocabulary_value",
]

EPCIS_CONTEXT: Final = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
# Context URLs that stand for the standard EPCIS 2.0 context; anything else in a document's
# @context is kept with its events.
STANDARD_CONTEXTS: Final = frozenset(
    {
        EPCIS_CONTEXT,
        "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
        "https://ref.gs1.org/standards/epcis/2.0.1/epcis-context.jsonld",
        "https://gs1.github.io/EPCIS/epcis-context.jsonld",
    }
)

MAX_ERRORS: Final = 100  # a broken 10,000-event document needs a useful answer, not a huge one
MAX_URI_LENGTH: Final = 400  # the identifier columns' length
MAX_QUANTITY: Final = Decimal(10) ** 12  # EventObject.quantity holds 12 integer digits
LOT_QUANTITY: Final = Decimal(10) ** 11  # and Lot.quantity 11

ACTIONS: Final = ("ADD", "OBSERVE", "DELETE")
EVENT_TYPES: Final = frozenset(Event.Type.values)  # Choices.values builds a new list each time
_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")
_OFFSET = re.compile(r"[+-]((0\d|1[0-3]):[0-5]\d|14:00)")

_EPC_LISTS: Final = (
    ("epcList", EventObject.Role.EPC),
    ("childEPCs", EventObject.Role.CHILD),
    ("inputEPCList", EventObject.Role.INPUT),
    ("outputEPCList", EventObject.Role.OUTPUT),
)
_QUANTITY_LISTS: Final = (
    ("quantityList", EventObject.Role.EPC_CLASS),
    ("childQuantityList", EventObject.Role.CHILD_CLASS),
    ("inputQuantityList", EventObject.Role.INPUT_CLASS),
    ("outputQuantityList", EventObject.Role.OUTPUT_CLASS),
)
_INPUT_ROLES: Final = frozenset({EventObject.Role.INPUT, EventObject.Role.INPUT_CLASS})
_OUTPUT_ROLES: Final = frozenset({EventObject.Role.OUTPUT, EventObject.Role.OUTPUT_CLASS})
_CHILD_ROLES: Final = frozenset({EventObject.Role.CHILD, EventObject.Role.CHILD_CLASS})
_OBJECT_ROLES: Final = frozenset({EventObject.Role.EPC, EventObject.Role.EPC_CLASS})

_STANDARD_FIELDS: Final = frozenset(
    {
        "@context",
        "type",
        "eventID",
        "eventTime",
        "eventTimeZoneOffset",
        "recordTime",
        "certificationInfo",
        "errorDeclaration",
        "action",
        "bizStep",
        "disposition",
        "persistentDisposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "ilmd",
        "parentID",
        "transformationID",
    }
    | {name for name, _ in _EPC_LISTS}
    | {name for name, _ in _QUANTITY_LISTS}
)

# CBV 2.0 vocabularies as the three spellings EPCIS allows: bare word, URN, web URI.
_VOCABULARIES: Final = {
    "bizStep": ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    "disposition": ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
}

# Instance/lot master data (CBV 2.0 section 10) read into Lot columns on commissioning.
_MDA: Final = "urn:epcglobal:cbv:mda:"


@dataclass(frozen=True)
class Quantity:
    """An amount of a class-level identifier (a lot, a product class) in an event."""

    epc_class: str
    quantity: Decimal | int | None = None
    uom: str = "KGM"


@dataclass
class RecordResult:
    """What `record_events` did.

    `event_ids` has one entry per input event, in input order (assigned hashes included);
    `skipped` the IDs of events already stored with identical content; `stored_ids` the
    primary keys of the new Event rows, in input order; `lot_ids` the Lot of every
    identifier the stored events name that has one (new lots included), by canonical
    identifier. `stored`, `lots` and `lot()` load the rows when asked.
    """

    event_ids: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    stored_ids: list[int] = field(default_factory=list)
    lot_ids: dict[str, int] = field(default_factory=dict)

    @property
    def stored_count(self) -> int:
        return len(self.stored_ids)

    @cached_property
    def stored(self) -> list[Event]:
        """The new Event rows, in input order."""
        rows = Event.objects.in_bulk(self.stored_ids)
        return [rows[pk] for pk in self.stored_ids]

    @cached_property
    def lots(self) -> dict[str, Lot]:
        """The lots `lot_ids` names, by canonical identifier."""
        rows = Lot.objects.in_bulk(list(self.lot_ids.values()))
        return {epc: rows[pk] for epc, pk in self.lot_ids.items()}

    def lot(self, epc: str) -> Lot:
        """The lot of an identifier these events named, in any spelling."""
        return self.lots[_canonical(epc)]


@dataclass(slots=True)
class _Object:
    epc: str
    role: str
    quantity: Decimal | None = None
    uom: str = ""


@dataclass(slots=True)
class _Prepared:
    """One validated, normalised event ready to store."""

    index: int
    event_id: str
    event_type: str
    action: str
    document: dict[str, Any]
    event_time: datetime
    offset: str
    biz_step: str
    disposition: str
    read_point: str
    biz_location: str
    transformation_id: str
    is_declaration: bool
    objects: list[_Object]
    ilmd: dict[str, Any]
    context: epcis_hash.HashContext
    row_id: int | None = None

    def epcs(self, roles: frozenset[str]) -> list[str]:
        return [o.epc for o in self.objects if o.role in roles]


class _Errors:
    """Field errors of one batch, each a JSON pointer into the event list."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, index: int, path: str, reason: str, value: Any = None) -> None:
        if len(self.items) < MAX_ERRORS:
            pointer = f"/{index}/{path}" if path else f"/{index}"
            self.items.append(FieldError(field=pointer, reason=reason, value=value, row=index))

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            more = len(self.items) - 1
            detail = f"{first.field}: {first.reason}" + (
                _(" (and %(count)d more)") % {"count": more} if more else ""
            )
            raise InvalidInput(detail=detail, errors=list(self.items))


# --- public API -----------------------------------------------------------------------


def record_events(
    *,
    organization: Organization,
    events: Sequence[Mapping[str, Any]],
    context: object = None,
    capture_job: CaptureJob | None = None,
    by: Any = None,
    harvested_by: Mapping[str, Member] | None = None,
) -> RecordResult:
    """Validate, normalise and store `events` for `organization`, all or nothing.

    `context` is the `@context` of the document the events came in (None: the standard
    EPCIS context). `capture_job`, the capture the events came with, is saved if new and
    marked succeeded in the same transaction. `by`, when given, must hold a write role in
    `organization`.
    `harvested_by` names the member who harvested each commissioned identifier (any
    spelling), for harvest lots. Raises InvalidInput (field errors as JSON pointers into
    `events`) or Conflict; stores nothing then.
    """
    if by is not None:
        require_write(by, organization)
    # Validation, spelling and hashing need no database: they run before the transaction
    # takes the write lock, so concurrent captures overlap in everything but the writes.
    hash_context, kept_context = _contexts(context)
    errors = _Errors()
    prepared = []
    for index, raw in enumerate(events):
        item = _prepare(index, raw, hash_context, kept_context, errors)
        if item is not None:
            prepared.append(item)
    errors.raise_if_any()
    new_job = capture_job is not None and capture_job._state.adding
    try:
        return _write(organization, prepared, capture_job, harvested_by)
    except IntegrityError:
        # A concurrent capture stored some of these events first (possible on PostgreSQL,
        # where writers do not queue): written again, they are found and skipped.
        if capture_job is not None:
            capture_job._state.adding = new_job  # its row went with the rollback
        return _write(organization, prepared, capture_job, harvested_by)


def record_event(
    *,
    organization: Organization,
    event: Mapping[str, Any],
    context: object = None,
    by: Any = None,
    harvested_by: Member | None = None,
) -> RecordResult:
    """Record one event (see `record_events`); `harvested_by` names its commissioned lot's
    harvester."""
    members: dict[str, Member] = {}
    if harvested_by is not None:
        epcs = list(event.get("epcList") or [])
        epcs += [
            q.get("epcClass") for q in event.get("quantityList") or [] if isinstance(q, Mapping)
        ]
        members = {epc: harvested_by for epc in epcs if isinstance(epc, str)}
    return record_events(
        organization=organization,
        events=[event],
        context=context,
        by=by,
        harvested_by=members,
    )


def parse_timestamp(text: str) -> datetime | None:
    """An EPCIS timestamp (RFC 3339, UTC offset required) as an aware datetime, else None."""
    text = text.strip()
    if not _TIME.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError:
        return None


def vocabulary_value(name: str, value: str) -> str:
    """A bizStep or disposition as the columns hold it: the bare CBV word for standard
    values in any spelling, anything else unchanged."""
    urn, web = _VOCABULARIES[name]
    text = value.strip()
    for prefix in (urn, web, "cbv:" + web.rsplit("/", 1)[1]):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


# --- validation and normalisation ------------------------------------------------------


def _contexts(context: object) -> tuple[epcis_hash.HashContext, object]:
    """The hash context of a document's @context, and the @context to keep with its events
    (None when it is only the standard one)."""
    if context is None:
        return epcis_hash.hash_context(EPCIS_CONTEXT), None
    entries = context if isinstance(context, list) else [context]
    standard = all(isinstance(e, str) and e in STANDARD_CONTEXTS for e in entries)
    try:
        prepared = epcis_hash.hash_context(context)
    except epcis_hash.EventHashError as error:
        raise InvalidInput(
            detail=f"@context: {error}", errors=[FieldError("@context", str(error))]
        ) from None
    return prepared, None if standard else context


@lru_cache(maxsize=65536)
def _canonical(value: str) -> str:
    if platform_code_of(value):
        return value  # issued by the platform in its one spelling; no GS1 key to parse
    return gs1.canonical_epc(value)


def _canonical_or_none(value: str) -> str | None:
    try:
        return _canonical(value)
    except gs1.IdentifierError:
        return None


def _identifier(value: Any, index: int, path: str, errors: _Errors) -> str | None:
    if not isinstance(value, str):
        errors.add(index, path, _("must be an identifier URI (a string)"), value)
        return None
    try:
        canonical = _canonical(value)
    except gs1.IdentifierError as error:
        errors.add(index, path, str(error), value)
        return None
    if len(canonical) > MAX_URI_LENGTH:
        errors.add(index, path, _("is longer than %(n)d characters") % {"n": MAX_URI_LENGTH})
        return None
    return canonical


def _time(value: Any, index: int, path: str, errors: _Errors) -> datetime | None:
    if not isinstance(value, str) or not _TIME.fullmatch(value.strip()):
        errors.add(
            index,
            path,
            _("must be a date and time with its UTC offset, such as 2025-11-20T08:00:00+07:00"),
            value,
        )
        return None
    try:
        return datetime.fromisoformat(value.strip().upper())
    except ValueError as error:
        errors.add(index, path, str(error), value)
        return None


def _number(value: Any, index: int, path: str, errors: _Errors) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        errors.add(index, path, _("must be a number"), value)
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) >= MAX_QUANTITY:
        errors.add(index, path, _("must be a finite number below 10^12"), value)
        return None
    return number


def _json_number(value: Any) -> Any:
    # Decimal from a builder or a caller: JSON has numbers, not decimals.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _prepare(
    index: int,
    raw: Any,
    hash_context: epcis_hash.HashContext,
    kept_context: object,
    errors: _Errors,
) -> _Prepared | None:
    """Validate one event and return it normalised, or record why not and return None."""
    if not isinstance(raw, Mapping):
        errors.add(index, "", _("an event must be a JSON object"), None)
        return None
    before = len(errors.items)
    document: dict[str, Any] = dict(raw)
    event_type = document.get("type")
    if event_type not in EVENT_TYPES:
        errors.add(
            index,
            "type",
            _("is not an EPCIS 2.0 event type (%(types)s)")
            % {"types": ", ".join(Event.Type.values)},
            event_type,
        )
        return None
    unknown = sorted(k for k in document if k not in _STANDARD_FIELDS and ":" not in k)
    for name in unknown:
        errors.add(
            index,
            _pointer_part(name),
            _("is not an EPCIS field; an extension field needs a namespace prefix"),
        )

    event_time = _time(document.get("eventTime"), index, "eventTime", errors)
    offset = document.get("eventTimeZoneOffset")
    if not isinstance(offset, str) or not _OFFSET.fullmatch(offset):
        errors.add(
            index,
            "eventTimeZoneOffset",
            _("must be a UTC offset from -13:59 to +14:00, such as +07:00"),
            offset,
        )

    action = document.get("action", "")
    if event_type == Event.Type.TRANSFORMATION:
        if "action" in document:
            errors.add(index, "action", _("a TransformationEvent has no action"), action)
    elif action not in ACTIONS:
        errors.add(index, "action", _("must be ADD, OBSERVE or DELETE"), action)

    objects: list[_Object] = []
    for name, role in _EPC_LISTS:
        if name in document:
            document[name] = _epc_list(document[name], name, role, index, errors, objects)
    for name, role in _QUANTITY_LISTS:
        if name in document:
            document[name] = _quantity_list(document[name], name, role, index, errors, objects)
    if "parentID" in document:
        parent = _identifier(document["parentID"], index, "parentID", errors)
        if parent is not None:
            document["parentID"] = parent
            objects.append(_Object(parent, EventObject.Role.PARENT))

    read_point = _location(document, "readPoint", index, errors)
    biz_location = _location(document, "bizLocation", index, errors)
    for name, key in (("sourceList", "source"), ("destinationList", "destination")):
        if name in document:
            document[name] = _typed_list(document[name], name, key, index, errors)
    if "bizTransactionList" in document:
        document["bizTransactionList"] = _typed_list(
            document["bizTransactionList"], "bizTransactionList", "bizTransaction", index, errors
        )

    vocabulary = {}
    for name in ("bizStep", "disposition"):
        value = document.get(name)
        if value is None:
            vocabulary[name] = ""
        elif isinstance(value, str) and value.strip():
            vocabulary[name] = vocabulary_value(name, value)[:200]
        else:
            errors.add(index, name, _("must be a CBV term or a URI"), value)

    transformation_id = document.get("transformationID", "")
    if not isinstance(transformation_id, str) or len(transformation_id) > MAX_URI_LENGTH:
        errors.add(index, "transformationID", _("must be a URI"), transformation_id)
        transformation_id = ""

    declaration = document.get("errorDeclaration")
    if declaration is not None:
        if not isinstance(declaration, Mapping):
            errors.add(index, "errorDeclaration", _("must be an object"))
        else:
            _time(
                declaration.get("declarationTime"),
                index,
                "errorDeclaration/declarationTime",
                errors,
            )

    ilmd = document.get("ilmd") or {}
    if not isinstance(ilmd, Mapping):
        errors.add(index, "ilmd", _("must be an object"))
        ilmd = {}

    _check_shape(event_type, action, document, objects, index, errors)
    if len(errors.items) > before or event_time is None:
        return None

    if "@context" in document:
        try:
            hash_context = epcis_hash.hash_context([dict(hash_context.terms), document["@context"]])
        except epcis_hash.EventHashError as error:
            errors.add(index, "@context", str(error))
            return None
    event_id = document.get("eventID")
    if event_id is None:
        # The raw event hashes as its canonical spelling would (the hash canonicalises), and
        # its identifiers were just parsed, so gs1's cache already holds them.
        hashed = raw if "@context" not in raw else {k: v for k, v in raw.items() if k != "@context"}
        try:
            event_id = epcis_hash.event_hash(hashed, hash_context)
        except epcis_hash.EventHashError as error:
            errors.add(index, "", str(error))
            return None
        document["eventID"] = event_id
    elif not isinstance(event_id, str) or not event_id.strip() or len(event_id) > MAX_URI_LENGTH:
        errors.add(index, "eventID", _("must be a URI of at most 400 characters"), event_id)
        return None
    document.pop("recordTime", None)  # the repository's to set (EPCIS 2.0 section 7.4.1)
    if kept_context is not None and "@context" not in document:
        document["@context"] = kept_context

    return _Prepared(
        index=index,
        event_id=event_id,
        event_type=event_type,
        action=action if event_type != Event.Type.TRANSFORMATION else "",
        document=document,
        event_time=event_time,
        offset=offset,
        biz_step=vocabulary["bizStep"],
        disposition=vocabulary["disposition"],
        read_point=read_point,
        biz_location=biz_location,
        transformation_id=transformation_id.strip(),
        is_declaration=declaration is not None,
        objects=objects,
        ilmd=dict(ilmd),
        context=hash_context,
    )


def _pointer_part(name: str) -> str:
    # RFC 6901: ~ and / inside a name are escaped.
    return name.replace("~", "~0").replace("/", "~1")


def _epc_list(
    value: Any, name: str, role: str, index: int, errors: _Errors, objects: list[_Object]
) -> Any:
    if not isinstance(value, list):
        errors.add(index, name, _("must be a list of identifier URIs"), value)
        return value
    spelt = []
    for position, epc in enumerate(value):
        canonical = _identifier(epc, index, f"{name}/{position}", errors)
        if canonical is not None:
            objects.append(_Object(canonical, role))
        spelt.append(canonical if canonical is not None else epc)
    return spelt


def _quantity_list(
    value: Any, name: str, role: str, index: int, errors: _Errors, objects: list[_Object]
) -> Any:
    if not isinstance(value, list):
        errors.add(index, name, _("must be a list of quantity elements"), value)
        return value
    spelt = []
    for position, element in enumerate(value):
        path = f"{name}/{position}"
        if not isinstance(element, Mapping):
            errors.add(index, path, _("must be an object with an epcClass"), element)
            spelt.append(element)
            continue
        element = dict(element)
        canonical = _identifier(element.get("epcClass"), index, f"{path}/epcClass", errors)
        quantity = None
        if element.get("quantity") is not None:
            quantity = _number(element["quantity"], index, f"{path}/quantity", errors)
            element["quantity"] = _json_number(element["quantity"])
        uom = element.get("uom") or ""
        if not isinstance(uom, str) or len(uom) > 3:
            errors.add(index, f"{path}/uom", _("must be a UN/CEFACT unit code"), uom)
            uom = ""
        if canonical is not None:
            element["epcClass"] = canonical
            objects.append(_Object(canonical, role, quantity, uom))
        spelt.append(element)
    return spelt


def _location(document: dict[str, Any], name: str, index: int, errors: _Errors) -> str:
    value = document.get(name)
    if value is None:
        return ""
    if not isinstance(value, Mapping) or "id" not in value:
        errors.add(index, name, _("must be an object with an id"), value)
        return ""
    canonical = _identifier(value["id"], index, f"{name}/id", errors)
    if canonical is None:
        return ""
    document[name] = {**value, "id": canonical}
    return canonical


def _typed_list(value: Any, name: str, key: str, index: int, errors: _Errors) -> Any:
    if not isinstance(value, list):
        errors.add(index, name, _("must be a list"), value)
        return value
    spelt = []
    for position, entry in enumerate(value):
        if not isinstance(entry, Mapping) or key not in entry:
            errors.add(index, f"{name}/{position}", _("needs %(key)s") % {"key": key}, entry)
            spelt.append(entry)
            continue
        canonical = _identifier(entry[key], index, f"{name}/{position}/{key}", errors)
        spelt.append({**entry, key: canonical} if canonical is not None else entry)
    return spelt


def _check_shape(
    event_type: str,
    action: str,
    document: Mapping[str, Any],
    objects: list[_Object],
    index: int,
    errors: _Errors,
) -> None:
    """The per-type rules of EPCIS 2.0 section 7.4 that the JSON schema leaves out."""
    roles = {o.role for o in objects}
    if event_type in (Event.Type.AGGREGATION, Event.Type.ASSOCIATION):
        if action in ("ADD", "DELETE") and "parentID" not in document:
            errors.add(
                index,
                "parentID",
                _("is required when action is %(action)s") % {"action": action},
            )
        if action == "ADD" and not roles & _CHILD_ROLES:
            errors.add(
                index,
                "childEPCs",
                _("an ADD needs at least one child (childEPCs or childQuantityList)"),
            )
    elif event_type == Event.Type.TRANSFORMATION and not roles & (_INPUT_ROLES | _OUTPUT_ROLES):
        errors.add(
            index, "inputEPCList", _("a TransformationEvent needs at least one input or output")
        )
    elif event_type == Event.Type.TRANSACTION and not document.get("bizTransactionList"):
        errors.add(
            index, "bizTransactionList", _("a TransactionEvent needs a business transaction")
        )


def _record_time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- storing -----------------------------------------------------------------------------
#
# Capture must keep up with partners' systems (3,000 events a second on two cores is the
# target), and building a Django model instance per row costs more than everything else a
# capture does. So the hot tables (Event, EventObject, Lot, GenealogyEdge) are written
# with multi-row INSERTs of values adapted once per column, through `_insert`.


@dataclass(frozen=True)
class _Table:
    """A model's INSERT statement head, for the columns given (model field names)."""

    model: type[models.Model]
    columns: tuple[str, ...]

    @cached_property
    def head(self) -> str:
        quote = connection.ops.quote_name
        meta = self.model._meta
        names = ", ".join(quote(meta.get_field(name).column) for name in self.columns)
        # Names come from the model's metadata; every value is a bound parameter.
        return f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608

    def adapters(self, db: Any) -> list[Callable[[Any], Any] | None]:
        """What Field.get_db_prep_save would end up calling for each column, or None."""
        ops = db.ops
        found: list[Callable[[Any], Any] | None] = []
        for name in self.columns:
            field = self.model._meta.get_field(name)
            field = getattr(field, "target_field", field)  # a foreign key stores its target
            if isinstance(field, models.DateTimeField):
                found.append(ops.adapt_datetimefield_value)
            elif isinstance(field, models.DateField):
                found.append(ops.adapt_datefield_value)
            elif isinstance(field, models.DecimalField):
                found.append(
                    partial(
                        ops.adapt_decimalfield_value,
                        max_digits=field.max_digits,
                        decimal_places=field.decimal_places,
                    )
                )
            elif isinstance(field, models.JSONField):
                found.append(partial(ops.adapt_json_value, encoder=field.encoder))
            elif isinstance(field, models.UUIDField):
                found.append(partial(field.get_db_prep_value, connection=db, prepared=True))
            else:
                found.append(None)
        return found


def _insert(
    table: _Table,
    rows: Sequence[Sequence[Any]],
    *,
    returning: Sequence[str] = (),
    ignore_conflicts: bool = False,
) -> list[tuple[Any, ...]]:
    """INSERT `rows` (values in `table.columns` order, aware datetimes) and return the
    `returning` columns of each inserted row, in no promised order."""
    if not rows:
        return []
    db = connections[DEFAULT_DB_ALIAS]
    adapters = [(i, adapt) for i, adapt in enumerate(table.adapters(db)) if adapt is not None]
    per_row = "(" + ", ".join(["%s"] * len(table.columns)) + ")"
    # SQLite allows 32,766 bound values per statement, PostgreSQL 65,535.
    size = max(1, min(1000, 30_000 // len(table.columns)))
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if returning:
        meta = table.model._meta
        names = (db.ops.quote_name(meta.get_field(n).column) for n in returning)
        tail += " RETURNING " + ", ".join(names)
    found: list[tuple[Any, ...]] = []
    with db.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            values: list[Any] = []
            for row in chunk:
                row = list(row)
                for i, adapt in adapters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
                values += row
            cursor.execute(table.head + ", ".join([per_row] * len(chunk)) + tail, values)
            if returning:
                found += cursor.fetchall()
    return found


_EVENTS = _Table(
    Event,
    (
        "organization",
        "event_id",
        "is_error_declaration",
        "event_type",
        "action",
        "biz_step",
        "disposition",
        "event_time",
        "event_time_zone_offset",
        "record_time",
        "read_point",
        "biz_location",
        "transformation_id",
        "document",
        "capture_job",
        "declared_erroneous_by",
    ),
)
_OBJECTS = _Table(EventObject, ("event", "epc", "role", "lot", "quantity", "uom"))
_EDGES = _Table(GenealogyEdge, ("source", "target", "event", "kind", "organization"))
_LOTS = _Table(
    Lot,
    (
        "organization",
        "epc",
        "kind",
        "product",
        "lot_number",
        "quantity",
        "unit",
        "origin_location",
        "harvested_by",
        "harvest_started_on",
        "harvest_ended_on",
        "published",
        "status",
        "public_id",
        "created_at",
    ),
)


@transaction.atomic
def _write(
    organization: Organization,
    prepared: list[_Prepared],
    capture_job: CaptureJob | None,
    harvested_by: Mapping[str, Member] | None,
) -> RecordResult:
    """Store what `_prepare` made of the events; one transaction, holding the write lock."""
    result = RecordResult(event_ids=[item.event_id for item in prepared])
    if capture_job is not None and capture_job._state.adding:
        capture_job.save()  # in this transaction: one wait for the lock per capture, not three
    fresh = _drop_stored(organization, prepared, result)
    if not fresh:
        _finish_job(capture_job, result)
        return result
    # Taken inside the transaction, so record times follow the order captures commit in.
    record_time = timezone.now()
    stamp = _record_time_text(record_time)
    for item in fresh:
        item.document["recordTime"] = stamp
    harvesters = {_canonical_or_none(k): v for k, v in (harvested_by or {}).items()}
    lots = _lots_for(organization, fresh, harvesters, record_time)
    result.lot_ids = lots
    _store_events(organization, fresh, record_time, capture_job)
    result.stored_ids = [item.row_id for item in fresh if item.row_id is not None]
    _insert(
        _OBJECTS,
        [
            (item.row_id, o.epc, o.role, lots.get(o.epc), o.quantity, o.uom)
            for item in fresh
            for o in item.objects
        ],
    )
    _add_edges(organization, fresh, lots)
    _end_aggregations(fresh, lots)
    _mark_declared_errors(organization, fresh)
    _finish_job(capture_job, result)
    return result


def _finish_job(job: CaptureJob | None, result: RecordResult) -> None:
    if job is not None:
        job.status = CaptureJob.Status.SUCCEEDED
        job.event_count = len(result.event_ids)
        job.stored_count = result.stored_count
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "event_count", "stored_count", "finished_at"])


def _comparable(document: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "recordTime"}


def _drop_stored(
    organization: Organization, prepared: list[_Prepared], result: RecordResult
) -> list[_Prepared]:
    """The events not yet stored; identical repeats are skipped, different ones refused."""
    ids = sorted({item.event_id for item in prepared})
    stored: dict[tuple[str, bool], Any] = {}
    for chunk in _chunks(ids):
        for event_id, is_declaration, document in Event.objects.filter(
            organization=organization, event_id__in=chunk
        ).values_list("event_id", "is_error_declaration", "document"):
            stored[(event_id, is_declaration)] = document
    fresh = []
    conflicts: list[FieldError] = []
    for item in prepared:
        key = (item.event_id, item.is_declaration)
        previous = stored.get(key)
        if previous is None:
            stored[key] = item.document
            fresh.append(item)
        elif _comparable(previous) == _comparable(item.document):
            result.skipped.append(item.event_id)
        else:
            conflicts.append(
                FieldError(
                    field=f"/{item.index}/eventID",
                    reason=_(
                        "an event with this eventID is already recorded with other content;"
                        " correct it with an error declaration instead"
                    ),
                    value=item.event_id,
                    row=item.index,
                )
            )
    if conflicts:
        raise Conflict(detail=f"{conflicts[0].field}: {conflicts[0].reason}", errors=conflicts)
    return fresh


def _chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _genealogy_epcs(items: Iterable[_Prepared]) -> set[str]:
    """Identifiers that get a Lot row: those genealogy links and those commissioned."""
    found: set[str] = set()
    for item in items:
        if item.is_declaration:
            continue
        if item.event_type == Event.Type.TRANSFORMATION:
            found.update(item.epcs(_INPUT_ROLES | _OUTPUT_ROLES))
        elif item.event_type == Event.Type.AGGREGATION and item.action != "DELETE":
            found.update(item.epcs(_CHILD_ROLES | {EventObject.Role.PARENT}))
        elif item.event_type == Event.Type.OBJECT and item.action == "ADD":
            found.update(item.epcs(_OBJECT_ROLES))
    return found


def _gs1_path(epc: str) -> list[str]:
    """The AI/value path of a canonical GS1 identifier ([] for any other URI)."""
    if not epc.startswith(gs1.CANONICAL_HOST + "/"):
        return []
    return epc[len(gs1.CANONICAL_HOST) + 1 :].split("/")


def _lot_kind(epc: str) -> str:
    # Read off the canonical spelling, which `_prepare` made (gs1.canonical_epc).
    path = _gs1_path(epc)
    if not path:
        return Lot.Kind.PLATFORM if platform_code_of(epc) else Lot.Kind.OTHER
    if path[0] == "00":
        return Lot.Kind.SSCC
    if path[0] == "01":
        qualifiers = path[2:3]
        if not qualifiers:
            return Lot.Kind.GTIN
        return {"21": Lot.Kind.SGTIN, "10": Lot.Kind.LGTIN}.get(qualifiers[0], Lot.Kind.OTHER)
    return Lot.Kind.OTHER


def _lot_number(epc: str) -> str:
    path = _gs1_path(epc)
    if path[:1] == ["01"] and path[2:3] == ["10"] and len(path) > 3:
        return unquote(path[3])[:80]
    return ""


def _lots_for(
    organization: Organization,
    items: list[_Prepared],
    harvesters: Mapping[str | None, Member],
    now: datetime,
) -> dict[str, int]:
    """The lot ID of every identifier the events name that has a lot, new lots made for
    what genealogy and commissioning need, commissioning details filled where blank."""
    named = sorted({o.epc for item in items for o in item.objects})
    lots: dict[str, int] = {}
    owners: dict[str, int] = {}
    for chunk in _chunks(named):
        for epc, pk, owner in Lot.objects.filter(epc__in=chunk).values_list(
            "epc", "pk", "organization_id"
        ):
            lots[epc] = pk
            owners[epc] = owner

    details = _commissioning_details(items, harvesters)
    missing = [epc for epc in sorted(_genealogy_epcs(items)) if epc not in lots]
    if missing:
        products = _products_by_gtin(missing)
        rows = []
        for epc in missing:
            values = {k: v for k, v in details.get(epc, {}).items() if v not in (None, "")}
            product = products.get(epc)
            rows.append(
                (
                    organization.pk,
                    epc,
                    _lot_kind(epc),
                    product.pk if product else None,
                    _lot_number(epc) or values.get("lot_number", ""),
                    values.get("quantity"),
                    values.get("unit") or (product.unit if product else ""),
                    values.get("origin_location", ""),
                    values["harvested_by"].pk if "harvested_by" in values else None,
                    values.get("harvest_started_on"),
                    values.get("harvest_ended_on"),
                    False,
                    Lot.Status.ACTIVE,
                    uuid.uuid4(),
                    now,
                )
            )
        # Another capture may create the same lot at the same moment (PostgreSQL): keep it.
        lots.update(
            (epc, pk)
            for pk, epc in _insert(_LOTS, rows, returning=("id", "epc"), ignore_conflicts=True)
        )
        raced = [epc for epc in missing if epc not in lots]
        for chunk in _chunks(raced):
            lots.update(Lot.objects.filter(epc__in=chunk).values_list("epc", "pk"))

    # Details of lots that existed before: only their own organization states them.
    own = [epc for epc in details if epc in owners and owners[epc] == organization.pk]
    if own:
        changed = [lot for lot in Lot.objects.filter(epc__in=own) if _fill(lot, details[lot.epc])]
        Lot.objects.bulk_update(changed, list(_DETAIL_FIELDS))
    return lots


_DETAIL_FIELDS: Final = (
    "lot_number",
    "quantity",
    "unit",
    "origin_location",
    "harvest_started_on",
    "harvest_ended_on",
    "harvested_by",
)


def _fill(lot: Lot, values: Mapping[str, Any]) -> bool:
    """Set the blank detail fields of `lot` that `values` knows; whether any changed."""
    changed = False
    for name, value in values.items():
        if value in (None, "") or getattr(lot, name) not in (None, ""):
            continue
        setattr(lot, name, value)
        changed = True
    return changed


def _products_by_gtin(epcs: Iterable[str]) -> dict[str, Product]:
    gtins: dict[str, list[str]] = {}
    for epc in epcs:
        path = _gs1_path(epc)
        if path[:1] == ["01"] and len(path) > 1:
            gtins.setdefault(path[1], []).append(epc)
    found: dict[str, Product] = {}
    if gtins:
        for product in Product.objects.filter(gtin__in=list(gtins)):
            for epc in gtins[product.gtin]:
                found[epc] = product
    return found


def _commissioning_details(
    items: list[_Prepared], harvesters: Mapping[str | None, Member]
) -> dict[str, dict[str, Any]]:
    """Lot fields that ObjectEvent ADD events state about what they commission."""
    details: dict[str, dict[str, Any]] = {}
    for item in items:
        if item.is_declaration or item.event_type != Event.Type.OBJECT or item.action != "ADD":
            continue
        master = _master_data(item)
        started = _date(master.get("harvestStartDate"))
        ended = _date(master.get("harvestEndDate"))
        for o in item.objects:
            if o.role not in _OBJECT_ROLES:
                continue
            values = details.setdefault(o.epc, {})
            quantity = o.quantity if o.quantity is not None and o.quantity < LOT_QUANTITY else None
            for name, value in (
                ("lot_number", str(master.get("lotNumber") or "")[:80]),
                ("quantity", quantity.quantize(Decimal("0.001")) if quantity is not None else None),
                ("unit", o.uom if quantity is not None else ""),
                ("origin_location", item.biz_location),
                ("harvest_started_on", started),
                ("harvest_ended_on", ended or started),
                ("harvested_by", harvesters.get(o.epc)),
            ):
                if values.get(name) in (None, ""):
                    values[name] = value
    return details


def _master_data(item: _Prepared) -> dict[str, Any]:
    """ILMD fields of the CBV master-data namespace, by local name, whatever the prefix."""
    found = {}
    for key, value in item.ilmd.items():
        try:
            iri = item.context.expand(key)
        except epcis_hash.EventHashError:
            continue
        if iri and iri.startswith(_MDA):
            found[iri[len(_MDA) :]] = value
    return found


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.upper())
    except ValueError:
        return None
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _store_events(
    organization: Organization,
    items: list[_Prepared],
    record_time: datetime,
    capture_job: CaptureJob | None,
) -> None:
    declared_by = _existing_declarations(organization, items)
    job = capture_job.pk if capture_job is not None else None
    rows = [
        (
            organization.pk,
            item.event_id,
            item.is_declaration,
            item.event_type,
            item.action,
            item.biz_step,
            item.disposition,
            item.event_time,
            item.offset,
            record_time,
            item.read_point,
            item.biz_location,
            item.transformation_id,
            item.document,
            job,
            None if item.is_declaration else declared_by.get(item.event_id),
        )
        for item in items
    ]
    inserted = _insert(_EVENTS, rows, returning=("id", "event_id", "is_error_declaration"))
    ids = {(event_id, bool(flag)): pk for pk, event_id, flag in inserted}
    for item in items:
        item.row_id = ids[(item.event_id, item.is_declaration)]


def _existing_declarations(organization: Organization, items: list[_Prepared]) -> dict[str, int]:
    """Stored error declarations for events arriving only now (captured out of order)."""
    ids = [item.event_id for item in items if not item.is_declaration]
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        found.update(
            Event.objects.filter(
                organization=organization, event_id__in=chunk, is_error_declaration=True
            ).values_list("event_id", "pk")
        )
    return found


def _add_edges(organization: Organization, items: list[_Prepared], lots: dict[str, int]) -> None:
    edges: dict[tuple[int, int, int], str] = {}

    def ids(epcs: Iterable[str]) -> list[int]:
        return [lots[epc] for epc in epcs if epc in lots]

    def link(sources: list[int], targets: list[int], event_id: int, kind: str) -> None:
        for source_id in sources:
            for target_id in targets:
                if source_id != target_id:
                    edges.setdefault((source_id, target_id, event_id), kind)

    earlier_steps = _transformation_steps(organization, items)
    for item in items:
        if item.is_declaration or item.row_id is None:
            continue
        if item.event_type == Event.Type.TRANSFORMATION:
            inputs, outputs = ids(item.epcs(_INPUT_ROLES)), ids(item.epcs(_OUTPUT_ROLES))
            link(inputs, outputs, item.row_id, GenealogyEdge.Kind.TRANSFORMATION)
            if item.transformation_id:
                steps = earlier_steps.setdefault(item.transformation_id, [])
                for step_inputs, step_outputs in steps:
                    link(step_inputs, outputs, item.row_id, GenealogyEdge.Kind.TRANSFORMATION)
                    link(inputs, step_outputs, item.row_id, GenealogyEdge.Kind.TRANSFORMATION)
                steps.append((inputs, outputs))
        elif item.event_type == Event.Type.AGGREGATION and item.action in ("ADD", "OBSERVE"):
            parent = ids(item.epcs(frozenset({EventObject.Role.PARENT})))
            link(ids(item.epcs(_CHILD_ROLES)), parent, item.row_id, GenealogyEdge.Kind.AGGREGATION)
    _insert(
        _EDGES,
        [(s, t, e, kind, organization.pk) for (s, t, e), kind in edges.items()],
        ignore_conflicts=True,
    )


def _transformation_steps(
    organization: Organization, items: list[_Prepared]
) -> dict[str, list[tuple[list[int], list[int]]]]:
    """Input and output lots of earlier steps of the transformations in `items`, by ID."""
    transformation_ids = {item.transformation_id for item in items if item.transformation_id}
    if not transformation_ids:
        return {}
    steps: dict[str, dict[int, tuple[list[int], list[int]]]] = {}
    objects = EventObject.objects.filter(
        event__organization=organization,
        event__transformation_id__in=transformation_ids,
        event__is_error_declaration=False,
        event__event_type=Event.Type.TRANSFORMATION,
        lot__isnull=False,
    ).exclude(event__transformation_id="")
    new_rows = {item.row_id for item in items}
    for event_id, transformation_id, lot_id, role in objects.values_list(
        "event_id", "event__transformation_id", "lot_id", "role"
    ):
        if event_id in new_rows:
            continue
        inputs, outputs = steps.setdefault(transformation_id, {}).setdefault(event_id, ([], []))
        (inputs if role in _INPUT_ROLES else outputs).append(lot_id)
    return {tid: list(by_event.values()) for tid, by_event in steps.items()}


def _end_aggregations(items: list[_Prepared], lots: dict[str, int]) -> None:
    """An AggregationEvent DELETE ends the open edges into its parent (all of them when it
    names no children), whoever recorded them: unpacking ends packing for everyone."""
    for item in items:
        if (
            item.is_declaration
            or item.event_type != Event.Type.AGGREGATION
            or item.action != "DELETE"
            or item.row_id is None
        ):
            continue
        parents = [lots[p] for p in item.epcs(frozenset({EventObject.Role.PARENT})) if p in lots]
        if not parents:
            continue
        edges = GenealogyEdge.objects.filter(
            target_id__in=parents,
            kind=GenealogyEdge.Kind.AGGREGATION,
            ended_by__isnull=True,
            event__event_time__lte=item.event_time,
        )
        children = item.epcs(_CHILD_ROLES)
        if children:
            edges = edges.filter(source_id__in=[lots[c] for c in children if c in lots])
        edges.update(ended_by_id=item.row_id)


def _mark_declared_errors(organization: Organization, items: list[_Prepared]) -> None:
    for item in items:
        if item.is_declaration and item.row_id is not None:
            Event.objects.filter(
                organization=organization,
                event_id=item.event_id,
                is_error_declaration=False,
                declared_erroneous_by__isnull=True,
            ).update(declared_erroneous_by_id=item.row_id)


# --- builders: EPCIS 2.0 events for other apps -------------------------------------------


def _when(moment: datetime) -> dict[str, str]:
    if timezone.is_naive(moment):
        raise InvalidInput(
            detail="eventTime: needs a time zone",
            errors=[FieldError("eventTime", _("needs a time zone"))],
        )
    local = timezone.localtime(moment)
    text = local.isoformat(timespec="milliseconds")
    return {"eventTime": text, "eventTimeZoneOffset": text[-6:]}


def _split(items: Iterable[str | Quantity]) -> tuple[list[str], list[dict[str, Any]]]:
    epcs: list[str] = []
    quantities: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, Quantity):
            element: dict[str, Any] = {"epcClass": item.epc_class}
            if item.quantity is not None:
                element["quantity"] = _json_number(Decimal(item.quantity))
                element["uom"] = item.uom
            quantities.append(element)
        else:
            epcs.append(item)
    return epcs, quantities


def _where(location: str, read_point: str) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if read_point or location:
        where["readPoint"] = {"id": read_point or location}
    if location:
        where["bizLocation"] = {"id": location}
    return where


def _parties(
    source_party: str, destination_party: str, source_location: str, destination_location: str
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    sources = [("owning_party", source_party), ("location", source_location)]
    destinations = [("owning_party", destination_party), ("location", destination_location)]
    if any(uri for _, uri in sources):
        fields["sourceList"] = [{"type": t, "source": uri} for t, uri in sources if uri]
    if any(uri for _, uri in destinations):
        fields["destinationList"] = [
            {"type": t, "destination": uri} for t, uri in destinations if uri
        ]
    return fields


def commissioning_event(
    *,
    item: str | Quantity,
    event_time: datetime,
    location: str = "",
    read_point: str = "",
    lot_number: str = "",
    harvest_started_on: date | None = None,
    harvest_ended_on: date | None = None,
    ilmd: Mapping[str, Any] | None = None,
    biz_step: str = "commissioning",
) -> dict[str, Any]:
    """An ObjectEvent ADD that brings a lot (a Quantity) or an item (an EPC) into being,
    at `location` (for a harvest lot, the plot's location URI), with its lot master data."""
    epcs, quantities = _split([item])
    master: dict[str, Any] = dict(ilmd or {})
    if lot_number:
        master["cbvmda:lotNumber"] = lot_number
    if harvest_started_on:
        master["cbvmda:harvestStartDate"] = harvest_started_on.isoformat()
    if harvest_ended_on:
        master["cbvmda:harvestEndDate"] = harvest_ended_on.isoformat()
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        **_when(event_time),
        "action": "ADD",
        **({"epcList": epcs} if epcs else {"quantityList": quantities}),
        "bizStep": biz_step,
        "disposition": "active",
        **_where(location, read_point),
    }
    if master:
        event["ilmd"] = master
    return event


def transformation_event(
    *,
    inputs: Sequence[str | Quantity],
    outputs: Sequence[str | Quantity],
    event_time: datetime,
    location: str = "",
    read_point: str = "",
    biz_step: str = "commissioning",
    transformation_id: str = "",
    ilmd: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A TransformationEvent: `inputs` went into `outputs` (drying, hulling, blending).

    A transformation recorded in steps (inputs today, outputs tomorrow) gives every step
    the same `transformation_id` URI; the ledger links them.
    """
    input_epcs, input_quantities = _split(inputs)
    output_epcs, output_quantities = _split(outputs)
    event: dict[str, Any] = {"type": "TransformationEvent", **_when(event_time)}
    for name, value in (
        ("inputEPCList", input_epcs),
        ("inputQuantityList", input_quantities),
        ("outputEPCList", output_epcs),
        ("outputQuantityList", output_quantities),
    ):
        if value:
            event[name] = value
    if transformation_id:
        event["transformationID"] = transformation_id
    event["bizStep"] = biz_step
    event.update(_where(location, read_point))
    if ilmd:
        event["ilmd"] = dict(ilmd)
    return event


def aggregation_event(
    *,
    parent: str,
    children: Sequence[str | Quantity],
    event_time: datetime,
    action: str = "ADD",
    location: str = "",
    read_point: str = "",
    biz_step: str | None = None,
) -> dict[str, Any]:
    """An AggregationEvent: `children` packed into (ADD), seen in (OBSERVE) or taken out of
    (DELETE; no children means all of them) `parent`, a pallet or container."""
    epcs, quantities = _split(children)
    step = biz_step or {"ADD": "packing", "DELETE": "unpacking"}.get(action)
    event: dict[str, Any] = {
        "type": "AggregationEvent",
        **_when(event_time),
        "action": action,
        "parentID": parent,
        "childEPCs": epcs,
    }
    if quantities:
        event["childQuantityList"] = quantities
    if step:
        event["bizStep"] = step
    event.update(_where(location, read_point))
    return event


def shipping_event(
    *,
    items: Sequence[str | Quantity],
    event_time: datetime,
    location: str = "",
    read_point: str = "",
    source_party: str = "",
    destination_party: str = "",
    source_location: str = "",
    destination_location: str = "",
    biz_transactions: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """An ObjectEvent OBSERVE with bizStep shipping: `items` leave `source_party` for
    `destination_party` (party URIs, see `identifiers.organization_uri`).
    `biz_transactions` are (type, URI) pairs such as ("po", order URI)."""
    return _observation(
        "shipping",
        "in_transit",
        items=items,
        event_time=event_time,
        location=location,
        read_point=read_point,
        parties=_parties(source_party, destination_party, source_location, destination_location),
        biz_transactions=biz_transactions,
    )


def receiving_event(
    *,
    items: Sequence[str | Quantity],
    event_time: datetime,
    location: str = "",
    read_point: str = "",
    source_party: str = "",
    destination_party: str = "",
    source_location: str = "",
    destination_location: str = "",
    biz_transactions: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """An ObjectEvent OBSERVE with bizStep receiving: `items` arrive at `location`."""
    return _observation(
        "receiving",
        "in_progress",
        items=items,
        event_time=event_time,
        location=location,
        read_point=read_point,
        parties=_parties(source_party, destination_party, source_location, destination_location),
        biz_transactions=biz_transactions,
    )


def _observation(
    biz_step: str,
    disposition: str,
    *,
    items: Sequence[str | Quantity],
    event_time: datetime,
    location: str,
    read_point: str,
    parties: dict[str, Any],
    biz_transactions: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    epcs, quantities = _split(items)
    event: dict[str, Any] = {"type": "ObjectEvent", **_when(event_time), "action": "OBSERVE"}
    if epcs:
        event["epcList"] = epcs
    if quantities:
        event["quantityList"] = quantities
    event["bizStep"] = biz_step
    event["disposition"] = disposition
    event.update(_where(location, read_point))
    if biz_transactions:
        event["bizTransactionList"] = [
            {"type": kind, "bizTransaction": uri} for kind, uri in biz_transactions
        ]
    event.update(parties)
    return event


def error_declaration(
    *,
    event: Mapping[str, Any],
    declared_at: datetime,
    reason: str = "incorrect_data",
    corrective_event_ids: Sequence[str] = (),
) -> dict[str, Any]:
    """The error declaration for a recorded event (its `Event.document`): the same event,
    eventID included, with an `errorDeclaration`. Record it, and the original is marked
    erroneous; it is never deleted. `reason` is a CBV term: incorrect_data or
    did_not_occur."""
    declaration = {k: v for k, v in event.items() if k != "recordTime"}
    declaration["errorDeclaration"] = {
        "declarationTime": _when(declared_at)["eventTime"],
        "reason": reason,
        **({"correctiveEventIDs": list(corrective_event_ids)} if corrective_event_ids else {}),
    }
    return declaration
