"""Organization A never reaches organization B's records, by any route.

Every URL pattern and every API operation is walked as a manager of cooperative A, with its
parameters filled with the ids of cooperative B's objects. Each answer must be "not found", the
same answer a made-up id gets, so B's records neither leak nor betray that they exist. Lists
must not show B's rows. A new route whose parameter this walk does not know fails here until
REGISTRY says how to find B's object for it (or PUBLIC says why the route is public).
"""

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from coopchain.accounts.models import ApiToken
from coopchain.accounts.services import issue_api_token
from coopchain.api import api
from coopchain.compliance.tests.tenants import compliance_objects
from coopchain.contracts.tests.tenants import add_contract_records
from coopchain.dairy.tests.tenants import add_dairy_records
from coopchain.diary.tests.tenants import add_diary_records
from coopchain.land.tests.tenants import add_land_records
from coopchain.monitoring.tests.tenants import linkage_model
from coopchain.parties.models import Facility, Member, Membership, Organization
from coopchain.parties.tests.factories import FacilityFactory, MemberFactory
from coopchain.trace.models import CaptureJob, Event
from coopchain.trace.tests.tenants import add_trace_records

# --- The two organizations --------------------------------------------------------------------


@dataclass
class Tenant:
    """One cooperative with one of each object a route can name, and its manager's token."""

    organization: Organization
    manager: Any
    member: Member
    facility: Facility
    token: ApiToken
    secret: str
    # Text that appears only in this tenant's records: none of it may reach the other tenant.
    markers: list[str] = field(default_factory=list)


# Parameter name -> how to get a tenant's object for it. A route naming a parameter missing here
# fails the walk: add how to get the other organization's object (extend `make_tenant`).
REGISTRY: dict[str, Callable[[Tenant], Any]] = {
    "organization_id": lambda t: t.organization.pk,
    "member_id": lambda t: t.member.pk,
    "facility_id": lambda t: t.facility.pk,
    "token_id": lambda t: t.token.pk,
    "plot_id": lambda t: t.diary_plot.pk,
    "entry_id": lambda t: t.diary_entry.pk,
    "product_id": lambda t: t.diary_product.pk,
    "plot_crop_id": lambda t: t.plot_crop.pk,
    "zone_id": lambda t: t.zone.pk,
    "certificate_id": lambda t: compliance_objects(t).certificate.pk,
    "statement_id": lambda t: compliance_objects(t).statement.pk,
    "audit_id": lambda t: compliance_objects(t).audit.pk,
    "lot_id": lambda t: t.trace_lot.pk,
    "recall_id": lambda t: t.recall.pk,
    "epc": lambda t: t.trace_lot.epc,
    "capture_id": lambda t: epcis_capture_id(t),
    "event_id": lambda t: epcis_event_id(t),
    "delivery_id": lambda t: t.milk_delivery.pk,
    "bulk_lot_id": lambda t: t.bulk_lot.pk,
    "bill_id": lambda t: t.milk_bill.pk,
    "chart_id": lambda t: t.rate_chart.pk,
    "contract_id": lambda t: t.contract.pk,
    "run_id": lambda t: t.payment_run.pk,
    "linkage_model_id": lambda t: linkage_model(t).pk,
}

# Where one parameter name means different objects under different routes: (route prefix as
# in the URLconf or the API path, parameter name) -> getter; the longest matching prefix wins.
REGISTRY_UNDER: dict[tuple[str, str], Callable[[Tenant], Any]] = {
    ("trace/products/", "product_id"): lambda t: t.trace_product.pk,
    ("/api/v1/trace/products/", "product_id"): lambda t: t.trace_product.pk,
    ("trace/^recalls/", "fmt"): lambda _t: "csv",
}

# Parameters that choose a form of the answer rather than name an object: one valid value each.
CHOICES: dict[str, str] = {
    "fmt": "svg",
    "direction": "backward",
}

PUBLISHED_LOTS = (
    "published lots are public by their owner's choice (the GS1 Digital Link resolver and its "
    "QR codes); an unpublished lot answers not found to everyone"
)

# Routes whose parameters name nothing that belongs to an organization, each with its reason.
PUBLIC: dict[str, str] = {
    "diary/new/<str:kind>": (
        "the kind of diary entry names nothing of an organization; the form offers only the "
        "asker's own plots"
    ),
    r"^01/(?P<gtin>\d{8,14})/(?P<qualifier>10|21)/(?P<value>.+?)/?$": PUBLISHED_LOTS,
    r"^00/(?P<sscc>\d{18})/?$": PUBLISHED_LOTS,
    r"^l/(?P<code>[0-9A-Za-z]{10})/?$": PUBLISHED_LOTS,
    r"^l/(?P<code>[0-9A-Za-z]{10})/qr\.(?P<fmt>svg|png)$": PUBLISHED_LOTS,
    "GET /api/v1/admin-units/{code}": (
        "provinces and communes/wards are the country's reference list, owned by no one"
    ),
    "monitoring/province/communes/<str:ward_code>/": (
        "a commune/ward belongs to no organization; its page answers not found to everyone but "
        "the officers of its province (coopchain/monitoring/tests/test_drilldown.py)"
    ),
}

# Operations the walk cannot reach yet, each with the bug in the way. Strict: once the bug is
# fixed the test passes, which fails the run until the entry here is removed.
BLOCKED: dict[str, str] = {}

# Parts of the URL tree this walk leaves to others, each with its reason.
SKIPPED_PREFIXES: dict[str, str] = {
    "admin/": "Django's admin is for platform staff only; organization users are never staff",
    "api/": "the API is walked below operation by operation, from its OpenAPI description",
    "i18n/": "the language switch reads and writes no organization's records",
}


def make_tenant(organization: Organization, manager: Any, label: str) -> Tenant:
    member = MemberFactory(
        organization=organization,
        code=f"{label}-TV01",
        head_of_household=f"Lò Thị {label}",
        phone="0912" + str(organization.pk).zfill(6)[-6:],
    )
    facility = FacilityFactory(
        organization=organization, code=f"{label}-KHO", name=f"Kho lạnh {label}"
    )
    token, secret = issue_api_token(user=manager, name=f"Ứng dụng {label}")
    tenant = Tenant(
        organization=organization,
        manager=manager,
        member=member,
        facility=facility,
        token=token,
        secret=secret,
        markers=[
            organization.name,
            member.code,
            member.head_of_household,
            member.national_id,
            member.phone,
            facility.code,
            facility.name,
            token.name,
            token.prefix,
        ],
    )
    add_diary_records(tenant)
    add_land_records(tenant)
    add_trace_records(tenant)
    add_dairy_records(tenant)
    add_contract_records(tenant)
    return tenant


@pytest.fixture
def tenant_a(coop, manager) -> Tenant:
    return make_tenant(coop, manager, "Ea Tul")


@pytest.fixture
def tenant_b(other_coop, other_manager) -> Tenant:
    return make_tenant(other_coop, other_manager, "Bí Mật")


def snapshot(tenant: Tenant) -> list[Any]:
    """Everything a stray write through a route could change in a tenant's records."""
    org = tenant.organization
    return [
        list(Organization.objects.filter(pk=org.pk).values()),
        list(Member.objects.filter(organization=org).order_by("pk").values()),
        list(Membership.objects.filter(member__organization=org).order_by("pk").values()),
        list(Facility.objects.filter(organization=org).order_by("pk").values()),
        list(ApiToken.objects.filter(user=tenant.manager).order_by("pk").values()),
    ]


# --- Reading what came back -------------------------------------------------------------------


def readable_text(response: Any) -> str:
    """What a person or program would read in a response, whatever its format."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if content[:2] == b"PK":  # an .xlsx file is a zip archive
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    text = content.decode("utf-8", errors="replace")
    if "json" in content_type:
        return json.dumps(json.loads(text or "null"), ensure_ascii=False)
    return unescape(text)


def leaked(response: Any, tenant: Tenant) -> list[str]:
    text = readable_text(response)
    return [marker for marker in tenant.markers if marker and marker in text]


def epcis_capture_id(tenant: Tenant) -> str:
    job, _created = CaptureJob.objects.get_or_create(
        organization=tenant.organization,
        defaults={"created_by": tenant.manager, "status": CaptureJob.Status.SUCCEEDED},
    )
    return str(job.pk)


def epcis_event_id(tenant: Tenant) -> str:
    """The eventID of one of the tenant's ledger events (its trace records wrote some)."""
    events = Event.objects.filter(organization=tenant.organization).order_by("pk")
    return events.values_list("event_id", flat=True)[0]


# --- The pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageRoute:
    name: str  # namespaced URL name, e.g. "parties:member_detail"
    route: str  # e.g. "members/<int:member_id>/"
    params: tuple[str, ...]

    def url(self, values: dict[str, Any]) -> str:
        if self.name:
            return reverse(self.name, kwargs=values)
        return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), self.route)


def _walk(
    patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[PageRoute]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if any(route.startswith(skipped) for skipped in SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            params = tuple(re.findall(r"<(?:[^>:]+:)?([^>]+)>", route)) or tuple(
                entry.pattern.regex.groupindex
            )
            yield PageRoute(name=name, route=route, params=params)


PAGES = list(_walk(get_resolver().url_patterns))
PAGES_WITH_IDS = [p for p in PAGES if p.params and p.route not in PUBLIC]
LIST_PAGES = [p for p in PAGES if not p.params]


def getter(name: str, where: str) -> Callable[[Tenant], Any] | None:
    """How to get a tenant's value for parameter `name` of the route at `where`."""
    specific = [
        (prefix, get)
        for (prefix, param), get in REGISTRY_UNDER.items()
        if param == name and where.startswith(prefix)
    ]
    if specific:
        return max(specific, key=lambda found: len(found[0]))[1]
    if name in CHOICES:
        return lambda _tenant: CHOICES[name]
    return REGISTRY.get(name)


def fill(params: tuple[str, ...], tenant: Tenant, where: str) -> dict[str, Any]:
    missing = [p for p in params if getter(p, where) is None]
    if missing:
        pytest.fail(
            f"{where} takes {', '.join(missing)}, which the tenancy walk does not know. Add to "
            f"REGISTRY (or REGISTRY_UNDER, or CHOICES) in {__name__} how to get another "
            "organization's object for it (creating it in make_tenant), or list the route in "
            "PUBLIC with the reason it is public."
        )
    return {p: getter(p, where)(tenant) for p in params}


def fill_known(names: Any, tenant: Tenant, where: str) -> dict[str, Any]:
    """Values for the names (query parameters, body fields) that name a tenant's objects."""
    return {n: getter(n, where)(tenant) for n in names if getter(n, where) is not None}


def test_the_walk_sees_the_routes_it_is_meant_to_guard():
    names = {p.name for p in PAGES}
    assert {"parties:member_detail", "parties:member_edit", "accounts:revoke_token"} <= names
    assert {p.route for p in PAGES_WITH_IDS} >= {"members/<int:member_id>/"}
    assert not any(p.route.startswith("admin/") for p in PAGES)


@pytest.mark.parametrize("route", PAGES_WITH_IDS, ids=lambda p: p.name or p.route)
def test_a_page_of_another_organizations_object_is_not_found(client, tenant_a, tenant_b, route):
    client.force_login(tenant_a.manager)
    url = route.url(fill(route.params, tenant_b, route.route))
    before = snapshot(tenant_b)

    read = client.get(url)
    write = client.post(url, {})

    answers = {"GET": read.status_code, "POST": write.status_code}
    assert set(answers.values()) <= {404, 405}, (
        f"{url} answered {answers} for organization B's object: it must be 404 (or 405 for a "
        "method the route does not take)"
    )
    assert 404 in answers.values(), f"{url} never looked its object up: {answers}"
    assert snapshot(tenant_b) == before, f"{url} changed organization B's records"
    assert not leaked(read, tenant_b)


@pytest.mark.parametrize("route", PAGES_WITH_IDS, ids=lambda p: p.name or p.route)
def test_the_same_page_of_ones_own_object_is_found(client, tenant_a, tenant_b, route):
    """The control: the 404s above come from tenancy, not from a route that finds nothing."""
    client.force_login(tenant_a.manager)
    url = route.url(fill(route.params, tenant_a, route.route))

    read = client.get(url)

    assert read.status_code in {200, 302, 405}, f"{url} answered {read.status_code}"


@pytest.mark.parametrize("route", LIST_PAGES, ids=lambda p: p.name or p.route)
def test_a_page_without_ids_shows_nothing_of_another_organization(
    client, tenant_a, tenant_b, route
):
    client.force_login(tenant_a.manager)
    url = route.url({})

    response = client.get(url)

    assert response.status_code < 500
    assert not leaked(response, tenant_b), f"{url} shows organization B's records"


def test_switching_to_another_organization_is_not_found(client, tenant_a, tenant_b):
    client.force_login(tenant_a.manager)

    response = client.post(
        reverse("parties:switch_organization"), {"organization": tenant_b.organization.pk}
    )

    assert response.status_code == 404
    members = client.get(reverse("parties:member_list"))
    assert not leaked(members, tenant_b)


# --- The API ----------------------------------------------------------------------------------

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})
UNSAFE = {"post", "put", "patch", "delete"}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # e.g. "/api/v1/members/{member_id}"
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    required_query: tuple[str, ...]  # identify what is asked for, like path parameters
    body: dict[str, Any] | None  # the request body's OpenAPI description

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def url(self, values: dict[str, Any]) -> str:
        return self.path.format(**{p: values[p] for p in self.path_params})


def _operations() -> list[Operation]:
    operations = []
    for path, methods in SCHEMA["paths"].items():
        for method, spec in methods.items():
            params = spec.get("parameters", [])
            operations.append(
                Operation(
                    method=method,
                    path=path,
                    path_params=tuple(p["name"] for p in params if p["in"] == "path"),
                    query_params=tuple(p["name"] for p in params if p["in"] == "query"),
                    required_query=tuple(
                        p["name"] for p in params if p["in"] == "query" and p.get("required")
                    ),
                    body=spec.get("requestBody"),
                )
            )
    return operations


OPERATIONS = _operations()
OPERATIONS_WITH_IDS = [op for op in OPERATIONS if op.path_params and op.key not in PUBLIC]


def _unless_blocked(operations: list[Operation]) -> list[Any]:
    return [
        pytest.param(
            op,
            id=op.key,
            marks=[pytest.mark.xfail(strict=True, reason=BLOCKED[op.key])]
            if op.key in BLOCKED
            else [],
        )
        for op in operations
    ]


LIST_OPERATIONS = [op for op in OPERATIONS if not op.path_params and op.method == "get"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def example(schema: dict[str, Any]) -> Any:
    """The smallest value the schema accepts, so the handler itself runs (and looks up)."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if _resolve(s).get("type") != "null"]
        return example(options[0]) if options else None
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(example(part))
        return merged
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name]) for name in schema.get("required", [])}
    if kind == "array":
        return [example(schema.get("items", {}))] * schema.get("minItems", 0)
    if kind in {"integer", "number"}:
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    formats = {
        "date": date(2024, 1, 15).isoformat(),
        "date-time": "2024-01-15T08:00:00+07:00",
        "binary": SimpleUploadedFile("empty.csv", b"", content_type="text/csv"),
    }
    return formats.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


def call(client: Client, op: Operation, tenant: Tenant, asker: Tenant) -> Any:
    """Send the operation as `asker`, naming `tenant`'s objects wherever the API takes an id."""
    url = op.url(fill(op.path_params, tenant, op.path))
    query = fill_known(op.query_params, tenant, op.path)
    query.update(fill(op.required_query, tenant, op.path))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {asker.secret}"}
    method = getattr(client, op.method)
    if op.body is None:
        return method(url, query, **headers)
    url += ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
    content = op.body["content"]
    if "application/json" in content:
        body = example(content["application/json"]["schema"])
        if isinstance(body, dict):
            body.update(fill_known(list(body), tenant, op.path))
        return method(url, json.dumps(body), content_type="application/json", **headers)
    form_type = next(iter(content))
    form = example(content[form_type]["schema"])
    form.update(fill_known(list(form), tenant, op.path))
    return method(url, form, **headers)


def test_every_route_listed_as_public_or_blocked_still_exists():
    routes = {p.route for p in PAGES} | {op.key for op in OPERATIONS}
    assert set(PUBLIC) <= routes, "remove routes that no longer exist from PUBLIC"
    assert set(BLOCKED) <= routes, "remove routes that no longer exist from BLOCKED"


def test_the_walk_sees_the_api_operations_it_is_meant_to_guard():
    keys = {op.key for op in OPERATIONS}
    assert {
        "GET /api/v1/members/{member_id}",
        "PUT /api/v1/members/{member_id}",
        "POST /api/v1/organizations/{organization_id}/members",
        "GET /api/v1/members",
    } <= keys


@pytest.mark.parametrize("op", _unless_blocked(OPERATIONS_WITH_IDS))
def test_an_api_operation_on_another_organizations_object_is_not_found(
    client, tenant_a, tenant_b, op
):
    before = snapshot(tenant_b)

    response = call(client, op, tenant_b, asker=tenant_a)

    assert response.status_code == 404, (
        f"{op.key} answered {response.status_code} for organization B's object: "
        f"{response.content[:300]!r}. If the minimal request body was refused (400), teach "
        "`example` in this module what the operation needs."
    )
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert snapshot(tenant_b) == before, f"{op.key} changed organization B's records"
    assert not leaked(response, tenant_b)


@pytest.mark.parametrize(
    "op", [op for op in OPERATIONS_WITH_IDS if op.method == "get"], ids=lambda op: op.key
)
def test_the_same_api_read_of_ones_own_object_is_found(client, tenant_a, tenant_b, op):
    """The control: the 404s above come from tenancy, not from an operation that finds nothing."""

    response = call(client, op, tenant_a, asker=tenant_a)

    assert response.status_code == 200, f"{op.key}: {response.content[:300]!r}"


@pytest.mark.parametrize("op", LIST_OPERATIONS, ids=lambda op: op.key)
def test_an_api_list_shows_nothing_of_another_organization(client, tenant_a, tenant_b, op):
    own = call(client, op, tenant_a, asker=tenant_a)
    aimed = call(client, op, tenant_b, asker=tenant_a)

    assert own.status_code == 200, f"{op.key}: {own.content[:300]!r}"
    assert not leaked(own, tenant_b), f"{op.key} lists organization B's records"
    assert aimed.status_code in {200, 404}
    assert not leaked(aimed, tenant_b), f"{op.key} with B's ids lists B's records"
    if not op.required_query:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tenant_a.secret}"}
        plain = client.get(op.path, **headers)
        assert plain.status_code == 200
        assert not leaked(plain, tenant_b), f"{op.key} lists organization B's records"


def test_the_members_list_shows_ones_own_members_only(client, tenant_a, tenant_b):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tenant_a.secret}"}

    listed = client.get("/api/v1/members", **headers).json()

    assert [m["id"] for m in listed["items"]] == [tenant_a.member.pk]


# --- Roles other than a cooperative's manager --------------------------------------------------


def bearer(user: Any) -> dict[str, str]:
    _token, secret = issue_api_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_farmer_sees_only_their_own_household(client, farmer, member, tenant_a):
    neighbour = tenant_a.member
    headers = bearer(farmer)

    listed = client.get("/api/v1/members", **headers).json()
    own = client.get(f"/api/v1/members/{member.pk}", **headers)
    other = client.get(f"/api/v1/members/{neighbour.pk}", **headers)

    assert [m["id"] for m in listed["items"]] == [member.pk]
    assert own.status_code == 200
    assert other.status_code == 404
    client.force_login(farmer)
    assert client.get(reverse("parties:member_detail", args=[member.pk])).status_code == 200
    assert client.get(reverse("parties:member_detail", args=[neighbour.pk])).status_code == 404


def test_an_officer_sees_the_organizations_of_their_province_but_no_member_record(
    client, officer, coop, other_coop, member
):
    headers = bearer(officer)

    organizations = client.get("/api/v1/organizations", **headers).json()["items"]
    listed_members = client.get("/api/v1/members", **headers).json()

    assert coop.pk in {o["id"] for o in organizations}
    assert other_coop.pk not in {o["id"] for o in organizations}
    assert client.get(f"/api/v1/organizations/{coop.pk}", **headers).status_code == 200
    assert client.get(f"/api/v1/organizations/{other_coop.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/members/{member.pk}", **headers).status_code == 404
    assert listed_members["count"] == 0
    client.force_login(officer)
    assert client.get(reverse("parties:member_detail", args=[member.pk])).status_code == 404


def test_an_officer_of_another_province_sees_none_of_them(
    client, officer_elsewhere, coop, other_coop, member
):
    headers = bearer(officer_elsewhere)

    organizations = client.get("/api/v1/organizations", **headers).json()["items"]

    assert {o["id"] for o in organizations}.isdisjoint({coop.pk, other_coop.pk})
    assert client.get(f"/api/v1/organizations/{coop.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/members/{member.pk}", **headers).status_code == 404
