"""The EPCIS 2.0 REST binding at /epcis/: capture, capture jobs, and event queries.

Follows GS1's "EPCIS 2.0 REST Bindings" (OpenAPI): `POST /capture` takes an
EPCISDocument, an EPCISQueryDocument or a single event as `application/json` or
`application/ld+json`, checks it against the EPCIS 2.0 JSON schema and records it through
the ledger service, all or nothing (`GS1-Capture-Error-Behaviour: rollback`); the job it
creates answers at `/capture/{captureID}`. `GET /events` runs the standard query
parameters and pages with `perPage` / `nextPageToken` and a `Link: rel="next"` header.

Authentication is the API's: a bearer token or the browser session. A user who works for
several organizations names the one acting with the `X-CoopChain-Organization` header.
Errors are RFC 9457 problem details whose `errors[].field` is a JSON pointer into the
request body (`/epcisBody/eventList/3/eventTime`) or a query parameter's name.
"""

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any, Final
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import HttpError

from coopchain.api import BearerToken, SessionAuth
from coopchain.errors import (
    CoopChainError,
    FieldError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from coopchain.lib import gs1
from coopchain.parties.models import Organization
from coopchain.parties.selectors import working_organizations
from coopchain.parties.tenancy import get_scoped, require_write, scope
from coopchain.problems import PROBLEM_TYPE_BASE, problem_response
from coopchain.trace.models import CaptureJob, Event, EventObject
from coopchain.trace.schemas import schema_errors
from coopchain.trace.selectors import visible_events
from coopchain.trace.services import (
    ACTIONS,
    EPCIS_CONTEXT,
    parse_timestamp,
    record_events,
    vocabulary_value,
)

ORGANIZATION_HEADER: Final = "X-CoopChain-Organization"
CAPTURE_LIMIT: Final = 10_000  # events per capture request (GS1-EPCIS-Capture-Limit)
PER_PAGE_DEFAULT: Final = 30  # the binding's default
PER_PAGE_MAX: Final = 1000
JSON_TYPES: Final = ("application/json", "application/ld+json")
EPCIS_HEADERS: Final = {
    "GS1-EPCIS-Version": "2.0.0",
    "GS1-EPCIS-Min": "2.0.0",
    "GS1-EPCIS-Max": "2.0.0",
    "GS1-CBV-Version": "2.0.0",
    # Identifiers are stored and returned as canonical GS1 Digital Link URIs.
    "GS1-EPC-Format": "Always_GS1_Digital_Link",
}
_PAGE_SALT: Final = "coopchain.epcis.page"


class UnsupportedMediaType(CoopChainError):
    status = 415
    title = "Unsupported media type"
    type_slug = "unsupported-media-type"


class NotAcceptable(CoopChainError):
    status = 406
    title = "Not acceptable"
    type_slug = "not-acceptable"


class PayloadTooLarge(CoopChainError):
    status = 413
    title = "Payload too large"
    type_slug = "payload-too-large"


class QueryParameterError(InvalidInput):
    """EPCIS's QueryParameterException: a query parameter that cannot be run."""

    title = "Invalid query parameter"
    type_slug = "query-parameter"


def _parameter_error(name: str, reason: str, value: Any = None) -> QueryParameterError:
    return QueryParameterError(detail=f"{name}: {reason}", errors=[FieldError(name, reason, value)])


class _CaptureRefused(Exception):
    """A refused capture and the failed job that records it."""

    def __init__(self, error: CoopChainError, job: CaptureJob) -> None:
        super().__init__(str(error))
        self.error = error
        self.job = job


# --- plumbing: authentication, organization, responses -------------------------------------


def _authenticated_user(request: HttpRequest) -> Any:
    """The API's authentication: a bearer token, else the session (with its CSRF check)."""
    if request.headers.get("Authorization"):
        user = BearerToken()(request)
        if user is None:
            raise NotAuthenticated(detail=_("The bearer token is unknown, revoked or expired."))
        return user
    try:
        user = SessionAuth()(request)
    except HttpError as error:  # the session's CSRF check failed
        raise Forbidden(detail=str(error.message)) from None
    if user is None:
        raise NotAuthenticated(detail=_("Send a bearer token (Authorization: Bearer …) or log in."))
    return user


def _chosen_organization(request: HttpRequest, user: Any) -> Organization | None:
    """The organization the X-CoopChain-Organization header names, if it is sent."""
    chosen = request.headers.get(ORGANIZATION_HEADER, "").strip()
    if not chosen:
        return None
    organization = next((o for o in working_organizations(user) if str(o.pk) == chosen), None)
    if organization is None:
        raise NotFound(
            detail=_("No organization of yours matches %(header)s.")
            % {"header": ORGANIZATION_HEADER}
        )
    return organization


def _acting_organization(request: HttpRequest, user: Any) -> Organization:
    """The organization that captures: the header's, or the user's only one."""
    chosen = _chosen_organization(request, user)
    if chosen is not None:
        return chosen
    organizations = working_organizations(user)
    if not organizations:
        raise NotFound(detail=_("You hold no role in any organization."))
    if len(organizations) > 1:
        choices = ", ".join(f"{o.pk} ({o.name})" for o in organizations)
        raise InvalidInput(
            detail=_(
                "You work for several organizations: name the one capturing in the header"
                " %(header)s: <id>. Yours are %(choices)s."
            )
            % {"header": ORGANIZATION_HEADER, "choices": choices},
            errors=[FieldError(ORGANIZATION_HEADER, _("is required"))],
        )
    return organizations[0]


def _with_epcis_headers(response: HttpResponse) -> HttpResponse:
    for name, value in EPCIS_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _problem(request: HttpRequest, error: CoopChainError, **extra: Any) -> HttpResponse:
    response = problem_response(
        request,
        status=error.status,
        title=error.title,
        type_slug=error.type_slug,
        detail=error.detail,
        errors=error.errors,
        extra=extra or None,
    )
    if isinstance(error, NotAuthenticated):
        response.headers["WWW-Authenticate"] = 'Bearer realm="coopchain"'
    return _with_epcis_headers(response)


def _endpoint(
    *methods: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """An EPCIS resource: its methods, OPTIONS discovery, errors as problem details.

    CSRF is checked by the session authentication itself, so token clients need none.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            allow = ", ".join(("OPTIONS", *methods))
            if request.method == "OPTIONS":
                return _discovery(allow, capture="POST" in methods)
            if request.method not in methods:
                response = problem_response(
                    request,
                    status=405,
                    title="Method not allowed",
                    type_slug="method-not-allowed",
                    detail=_("Allowed: %(methods)s.") % {"methods": allow},
                )
                response.headers["Allow"] = allow
                return _with_epcis_headers(response)
            try:
                return _with_epcis_headers(view(request, *args, **kwargs))
            except _CaptureRefused as refused:
                return _problem(request, refused.error, captureID=str(refused.job.pk))
            except CoopChainError as error:
                return _problem(request, error)

        return endpoint

    return decorate


def _discovery(allow: str, *, capture: bool) -> HttpResponse:
    response = HttpResponse(status=204)
    response.headers["Allow"] = allow
    if capture:
        response.headers["GS1-EPCIS-Capture-Limit"] = str(CAPTURE_LIMIT)
        response.headers["GS1-EPCIS-Capture-File-Size-Limit"] = str(
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        response.headers["GS1-Capture-Error-Behaviour"] = "rollback"
    return _with_epcis_headers(response)


def _json(request: HttpRequest, data: Any, *, status: int = 200) -> JsonResponse:
    wants_ld = "application/ld+json" in request.headers.get("Accept", "")
    return JsonResponse(
        data,
        status=status,
        safe=False,
        content_type="application/ld+json" if wants_ld else "application/json",
        json_dumps_params={"ensure_ascii": False},
    )


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- capture ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Body:
    """The events a capture body carries, the pointer of their list, and its @context."""

    events: list[Any]
    base: str  # "" when the body is a single event
    context: object


def _read_json(request: HttpRequest) -> Any:
    if (request.content_type or "") not in JSON_TYPES:
        raise UnsupportedMediaType(
            detail=_("Send the document as application/json or application/ld+json.")
        )
    if not request.headers.get("GS1-EPCIS-Version", "2.0").startswith("2.0"):
        raise NotAcceptable(detail=_("This repository speaks EPCIS 2.0."))
    if request.headers.get("GS1-Capture-Error-Behaviour", "rollback") != "rollback":
        raise InvalidInput(
            detail=_("A document is stored whole or not at all: only rollback is supported."),
            errors=[FieldError("GS1-Capture-Error-Behaviour", _("must be rollback"))],
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise PayloadTooLarge(
            detail=_("The document is larger than this repository accepts.")
        ) from None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(
            detail=_("The body is not JSON: %(error)s") % {"error": error},
            errors=[FieldError("", _("is not JSON"))],
        ) from None


def _events_of(document: Any) -> _Body:
    """The events of a capture body that passes the EPCIS 2.0 schema."""
    problems = schema_errors(document)
    if problems:
        first = problems[0]
        detail = f"{first.field or '/'}: {first.reason}"
        if len(problems) > 1:
            detail += " " + _("(and %(count)d more)") % {"count": len(problems) - 1}
        raise InvalidInput(detail=detail, errors=problems)
    if document["type"] == "EPCISDocument":
        events = document["epcisBody"]["eventList"]
        return _Body(events, "/epcisBody/eventList", document.get("@context"))
    if document["type"] == "EPCISQueryDocument":
        events = document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        base = "/epcisBody/queryResults/resultsBody/eventList"
        return _Body(events, base, document.get("@context"))
    return _Body([document], "", document.get("@context"))


def _rebased(error: CoopChainError, base: str) -> CoopChainError:
    """The service's pointers (into the event list) as pointers into the request body."""
    errors = []
    for e in error.errors:
        where = e.field
        if not base and e.row is not None:
            where = where.removeprefix(f"/{e.row}")  # the body is the event itself
        errors.append(FieldError(base + where, e.reason, e.value, e.row if base else None))
    if not errors:
        return error
    detail = f"{errors[0].field or '/'}: {errors[0].reason}"
    if len(errors) > 1:
        detail += " " + _("(and %(count)d more)") % {"count": len(errors) - 1}
    return type(error)(detail=detail, errors=errors)


def _capture(request: HttpRequest, *, single_event: bool) -> tuple[CaptureJob, list[str]]:
    """Record the body of `request` as a capture job and return it with the event IDs.

    A refused body still leaves a failed job that says why (_CaptureRefused carries it).
    A successful job is written with its events, in the ledger's one transaction.
    """
    user = _authenticated_user(request)
    organization = _acting_organization(request, user)
    require_write(user, organization)
    try:
        body = _events_of(_read_json(request))
        if single_event and body.base:
            raise InvalidInput(
                detail=_("POST /epcis/events takes one event; send documents to /epcis/capture."),
                errors=[FieldError("/type", _("must be an event type"))],
            )
        if len(body.events) > CAPTURE_LIMIT:
            raise PayloadTooLarge(
                detail=_("At most %(limit)d events per capture.") % {"limit": CAPTURE_LIMIT}
            )
    except CoopChainError as error:
        job = CaptureJob(organization=organization, created_by=user)
        raise _CaptureRefused(error, _failed(job, error)) from None
    job = CaptureJob(organization=organization, created_by=user, event_count=len(body.events))
    try:
        result = record_events(
            organization=organization,
            events=body.events,
            context=body.context,
            capture_job=job,  # saved, and marked succeeded, with the events
        )
    except CoopChainError as error:
        error = _rebased(error, body.base)
        job = CaptureJob(organization=organization, created_by=user, event_count=len(body.events))
        raise _CaptureRefused(error, _failed(job, error)) from None
    return job, result.event_ids


def _failed(job: CaptureJob, error: CoopChainError) -> CaptureJob:
    job.status = CaptureJob.Status.FAILED
    job.errors = _job_errors(error)
    job.finished_at = timezone.now()
    job.save()
    return job


def _job_errors(error: CoopChainError) -> list[dict[str, Any]]:
    """A refused capture's errors as problem details, one per field error."""
    problem = {"type": PROBLEM_TYPE_BASE + error.type_slug, "title": error.title}
    problem["status"] = error.status
    if not error.errors:
        return [{**problem, "detail": error.detail or error.title}]
    return [
        {**problem, "detail": f"{e.field or '/'}: {e.reason}", **e.as_dict()} for e in error.errors
    ]


def _job_data(job: CaptureJob) -> dict[str, Any]:
    return {
        "captureID": str(job.pk),
        "createdAt": _timestamp(job.created_at),
        **({"finishedAt": _timestamp(job.finished_at)} if job.finished_at else {}),
        "running": job.status == CaptureJob.Status.RUNNING,
        "success": job.status != CaptureJob.Status.FAILED,
        "captureErrorBehaviour": "rollback",
        "errors": job.errors,
        "eventCount": job.event_count,
        "storedCount": job.stored_count,
    }


def _job_location(job: CaptureJob) -> str:
    return f"/epcis/capture/{job.pk}"


@_endpoint("GET", "POST")
def capture(request: HttpRequest) -> HttpResponse:
    """POST: capture a document (202, the job at Location). GET: the capture jobs."""
    if request.method == "POST":
        job, _ids = _capture(request, single_event=False)
        response = _json(request, _job_data(job), status=202)
        response.headers["Location"] = _job_location(job)
        return response
    user = _authenticated_user(request)
    jobs = scope(CaptureJob.objects.all(), user)
    chosen = _chosen_organization(request, user)
    if chosen is not None:
        jobs = jobs.filter(organization=chosen)
    page = _Page.from_request(request, keys={}, default="created_at", descending=True)
    found, next_token = page.slice(jobs)
    return _paged(request, [_job_data(job) for job in found], next_token)


@_endpoint("GET")
def capture_job(request: HttpRequest, capture_id: str) -> HttpResponse:
    user = _authenticated_user(request)
    try:
        key = uuid.UUID(capture_id)
    except ValueError:
        raise NotFound(detail=_("No capture job matches.")) from None
    job = get_scoped(CaptureJob.objects.all(), user, pk=key)
    return _json(request, _job_data(job))


# --- query ------------------------------------------------------------------------------------

_MATCH_ROLES: Final = {
    "MATCH_epc": (EventObject.Role.EPC, EventObject.Role.CHILD),
    "MATCH_parentID": (EventObject.Role.PARENT,),
    "MATCH_inputEPC": (EventObject.Role.INPUT,),
    "MATCH_outputEPC": (EventObject.Role.OUTPUT,),
    "MATCH_anyEPC": (
        EventObject.Role.EPC,
        EventObject.Role.CHILD,
        EventObject.Role.PARENT,
        EventObject.Role.INPUT,
        EventObject.Role.OUTPUT,
    ),
    "MATCH_epcClass": (EventObject.Role.EPC_CLASS, EventObject.Role.CHILD_CLASS),
    "MATCH_inputEPCClass": (EventObject.Role.INPUT_CLASS,),
    "MATCH_outputEPCClass": (EventObject.Role.OUTPUT_CLASS,),
    "MATCH_anyEPCClass": (
        EventObject.Role.EPC_CLASS,
        EventObject.Role.CHILD_CLASS,
        EventObject.Role.INPUT_CLASS,
        EventObject.Role.OUTPUT_CLASS,
    ),
}
_TIME_PARAMETERS: Final = {
    "GE_eventTime": "event_time__gte",
    "LT_eventTime": "event_time__lt",
    "GE_recordTime": "record_time__gte",
    "LT_recordTime": "record_time__lt",
}
_COLUMN_PARAMETERS: Final = {
    "eventType": "event_type__in",
    "EQ_eventID": "event_id__in",
    "EQ_transformationID": "transformation_id__in",
}
_ORDER_KEYS: Final = {"eventTime": "event_time", "recordTime": "record_time"}
_PAGING_PARAMETERS: Final = frozenset({"perPage", "nextPageToken", "orderBy", "orderDirection"})
QUERY_PARAMETERS: Final = frozenset(
    {
        "EQ_action",
        "EQ_bizStep",
        "EQ_disposition",
        "EQ_readPoint",
        "EQ_bizLocation",
        "EXISTS_errorDeclaration",
    }
    | set(_COLUMN_PARAMETERS)
    | set(_MATCH_ROLES)
    | set(_TIME_PARAMETERS)
    | _PAGING_PARAMETERS
)


def _values(request: HttpRequest, name: str) -> list[str]:
    # The binding sends lists pipe-delimited; repeating the parameter works too.
    return [v.strip() for raw in request.GET.getlist(name) for v in raw.split("|") if v.strip()]


def _identifiers(name: str, values: list[str]) -> list[tuple[str, bool]]:
    """Each value spelt canonically, with whether it is an EPC pattern (urn:epc:idpat:…)."""
    found = []
    for value in values:
        try:
            canonical = gs1.canonical_epc(value)
        except gs1.IdentifierError as error:
            raise _parameter_error(name, str(error), value) from None
        found.append((canonical, value.lower().startswith("urn:epc:idpat:")))
    return found


def _one_filter(name: str, values: list[str]) -> Q:
    """The condition one query parameter puts on events."""
    if name in _COLUMN_PARAMETERS:
        return Q(**{_COLUMN_PARAMETERS[name]: values})
    if name in _TIME_PARAMETERS:
        moment = parse_timestamp(values[0]) if len(values) == 1 else None
        if moment is None:
            raise _parameter_error(
                name,
                _(
                    "must be one date and time with its UTC offset, such as 2025-11-20T08:00:00+07:00"
                ),
            )
        return Q(**{_TIME_PARAMETERS[name]: moment})
    if name == "EQ_action":
        wrong = [v for v in values if v not in ACTIONS]
        if wrong:
            raise _parameter_error(name, _("must be ADD, OBSERVE or DELETE"), wrong[0])
        return Q(action__in=values)
    if name in ("EQ_bizStep", "EQ_disposition"):
        field = name.removeprefix("EQ_")
        column = "biz_step__in" if field == "bizStep" else "disposition__in"
        return Q(**{column: [vocabulary_value(field, v) for v in values]})
    if name in ("EQ_readPoint", "EQ_bizLocation"):
        column = "read_point__in" if name == "EQ_readPoint" else "biz_location__in"
        return Q(**{column: [value for value, _pattern in _identifiers(name, values)]})
    if name in _MATCH_ROLES:
        matches = Q()
        for value, is_pattern in _identifiers(name, values):
            matches |= Q(epc=value)
            if is_pattern:
                # A class pattern matches each instance or lot under it (/01/{gtin}/…).
                matches |= Q(epc__startswith=value + "/")
        objects = EventObject.objects.filter(
            matches, event=OuterRef("pk"), role__in=_MATCH_ROLES[name]
        )
        return Q(Exists(objects))
    if name == "EXISTS_errorDeclaration":
        # "false" (or no value) places no condition (EPCIS 2.0 section 8.2.7.1).
        return Q(is_error_declaration=True) if values[-1].lower() == "true" else Q()
    raise _parameter_error(name, _("is not a supported query parameter"))


def filter_events(events: QuerySet[Event], parameters: Mapping[str, list[str]]) -> QuerySet[Event]:
    """`events` narrowed by EPCIS query parameters (name -> values; paging ones ignored).

    Identifier values are spelt canonically first, CBV short names and URIs both work for
    bizStep and disposition, and an EPC pattern (urn:epc:idpat:sgtin:CP.Ref.*) matches
    every identifier of its class. Unknown or unsupported parameters are refused, named.
    """
    unknown = sorted(set(parameters) - QUERY_PARAMETERS)
    if unknown:
        raise QueryParameterError(
            detail=_("Unknown or unsupported query parameters: %(names)s.")
            % {"names": ", ".join(unknown)},
            errors=[FieldError(name, _("is not a supported query parameter")) for name in unknown],
        )
    for name, values in parameters.items():
        if values and name not in _PAGING_PARAMETERS:
            events = events.filter(_one_filter(name, values))
    return events


@dataclass(frozen=True)
class _Page:
    """perPage / nextPageToken: keyset paging on (key, pk); the token is signed, opaque,
    and bound to the order it was made for."""

    per_page: int
    key: str
    descending: bool
    order: list[str]
    after: tuple[str, int] | None

    @classmethod
    def from_request(
        cls, request: HttpRequest, *, keys: Mapping[str, str], default: str, descending: bool
    ) -> "_Page":
        raw = request.GET.get("perPage", str(PER_PAGE_DEFAULT))
        if not raw.isdigit() or not 1 <= int(raw) <= PER_PAGE_MAX:
            raise _parameter_error(
                "perPage",
                _("must be a whole number from 1 to %(max)d") % {"max": PER_PAGE_MAX},
                raw,
            )
        order_by = request.GET.get("orderBy", "")
        if order_by and order_by not in keys:
            raise _parameter_error(
                "orderBy", _("must be one of: %(keys)s") % {"keys": ", ".join(keys)}, order_by
            )
        direction = request.GET.get("orderDirection", "")
        if direction not in ("", "ASC", "DESC"):
            raise _parameter_error("orderDirection", _("must be ASC or DESC"), direction)
        if order_by:
            # EPCIS: with orderBy, the direction defaults to DESC.
            descending = direction != "ASC"
        order = [order_by, direction]
        after = None
        token = request.GET.get("nextPageToken")
        if token:
            try:
                data = signing.loads(token, salt=_PAGE_SALT)
                after = (str(data["k"]), int(data["i"]))
                same_order = data["o"] == order
            except (signing.BadSignature, KeyError, TypeError, ValueError):
                raise _parameter_error(
                    "nextPageToken", _("is not a token this query gave")
                ) from None
            if not same_order:
                raise _parameter_error("nextPageToken", _("was made for another order"))
        return cls(int(raw), keys.get(order_by, default), descending, order, after)

    def slice(self, rows: QuerySet[Any]) -> tuple[list[Any], str]:
        """This page of `rows` and the next page's token ("" on the last page)."""
        sign = "-" if self.descending else ""
        rows = rows.order_by(f"{sign}{self.key}", f"{sign}pk")
        if self.after is not None:
            value, pk = self.after
            beyond = "lt" if self.descending else "gt"
            rows = rows.filter(
                Q(**{f"{self.key}__{beyond}": value}) | Q(**{self.key: value, f"pk__{beyond}": pk})
            )
        page = list(rows[: self.per_page + 1])
        if len(page) <= self.per_page:
            return page, ""
        page = page[: self.per_page]
        last = page[-1]
        position = {"k": getattr(last, self.key).isoformat(), "i": last.pk, "o": self.order}
        return page, signing.dumps(position, salt=_PAGE_SALT)


def _paged(request: HttpRequest, data: Any, next_token: str) -> HttpResponse:
    response = _json(request, data)
    if next_token:
        parameters = request.GET.copy()
        parameters["nextPageToken"] = next_token
        url = request.build_absolute_uri(request.path) + "?" + parameters.urlencode(safe="|:")
        response.headers["Link"] = f'<{url}>; rel="next"'
    return response


def query_document(events: list[Event]) -> dict[str, Any]:
    """An EPCISQueryDocument holding `events` as stored."""
    return {
        "@context": EPCIS_CONTEXT,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": _timestamp(timezone.now()),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [event.document for event in events]},
            }
        },
    }


def _readable_events(request: HttpRequest) -> QuerySet[Event]:
    user = _authenticated_user(request)
    events = visible_events(user)
    chosen = _chosen_organization(request, user)
    return events.filter(organization=chosen) if chosen is not None else events


@_endpoint("GET", "POST")
def events(request: HttpRequest) -> HttpResponse:
    """GET: the standard event query. POST: capture one event (201, the event at Location)."""
    if request.method == "POST":
        _job, event_ids = _capture(request, single_event=True)
        response = HttpResponse(status=201)
        response.headers["Location"] = event_location(event_ids[0])
        return response
    readable = _readable_events(request)
    page = _Page.from_request(request, keys=_ORDER_KEYS, default="record_time", descending=False)
    parameters = {name: _values(request, name) for name in request.GET}
    found, next_token = page.slice(filter_events(readable, parameters))
    return _paged(request, query_document(found), next_token)


@_endpoint("GET")
def event_detail(request: HttpRequest, event_id: str) -> HttpResponse:
    """One event by its ID (URL-encoded), with any error declaration about it."""
    query = request.META.get("QUERY_STRING", "")
    # A hash ID sent unencoded ("ni:///sha-256;…?ver=CBV2.0") arrives split at its "?".
    candidates = [event_id, f"{event_id}?{query}"] if query else [event_id]
    found = list(
        _readable_events(request).filter(event_id__in=candidates).order_by("record_time", "pk")
    )
    if not found:
        raise NotFound(detail=_("No event with this eventID is visible to you."))
    return _json(request, query_document(found))


def event_location(event_id: str) -> str:
    """The /epcis/events/ URL of an event."""
    return "/epcis/events/" + quote(event_id, safe="")
