"""/api/v1/trace/: products, lots, backward and forward traces, mass balance, recalls."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from coopchain.parties.api import Pages
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import get_scoped, scope
from coopchain.trace import catalog, mass_balance, recalls, selectors
from coopchain.trace.identifiers import public_uri
from coopchain.trace.models import Lot, Product, Recall

router = Router(tags=["trace"])


class ProductIn(Schema):
    name: str
    gtin: str = ""
    hs_code: str = ""
    commodity: str = ""
    unit: str = "KGM"


class ProductOut(Schema):
    id: int
    organization_id: int
    name: str
    gtin: str
    hs_code: str
    commodity: str
    unit: str


class LotOut(Schema):
    id: int
    organization_id: int
    epc: str
    qr_uri: str | None
    kind: str
    lot_number: str
    product_id: int | None
    quantity: Decimal | None
    unit: str
    status: str
    published: bool
    harvested_by_id: int | None
    harvest_started_on: Any = None
    harvest_ended_on: Any = None


class FindingOut(Schema):
    reason: str
    quantity: Decimal
    allowed: Decimal
    unit: str
    lot: str | None
    event_id: str | None
    organization: str | None


class RecallIn(Schema):
    organization_id: int
    reason: str


class RecallOut(Schema):
    id: int
    organization_id: int
    lot: str
    reason: str
    started_at: Any
    lots: list[str]


class PublishIn(Schema):
    published: bool


def _lot_out(lot: Lot) -> dict[str, Any]:
    return {
        **{name: getattr(lot, name) for name in LotOut.model_fields if hasattr(lot, name)},
        "qr_uri": public_uri(lot),
    }


def _recall_out(recall: Recall) -> dict[str, Any]:
    return {
        "id": recall.pk,
        "organization_id": recall.organization_id,
        "lot": recall.lot.epc,
        "reason": recall.reason,
        "started_at": recall.started_at,
        "lots": list(recall.lots.order_by("pk").values_list("epc", flat=True)),
    }


@router.get("/trace/products", response=list[ProductOut], summary="Products you can see")
@paginate(Pages)
def list_products(request: HttpRequest, organization_id: int | None = None):
    organization = None
    if organization_id:
        organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    return selectors.product_list(request.user, organization=organization)


@router.post("/trace/organizations/{organization_id}/products", response={201: ProductOut})
def create_product(request: HttpRequest, organization_id: int, payload: ProductIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    product = catalog.create_product(
        organization=organization, data=catalog.ProductData(**payload.dict()), by=request.user
    )
    return 201, product


@router.get("/trace/products/{product_id}", response=ProductOut)
def get_product(request: HttpRequest, product_id: int):
    return get_scoped(Product.objects.all(), request.user, pk=product_id)


@router.put("/trace/products/{product_id}", response=ProductOut)
def update_product(request: HttpRequest, product_id: int, payload: ProductIn):
    product = get_scoped(Product.objects.all(), request.user, pk=product_id)
    return catalog.update_product(
        product=product, data=catalog.ProductData(**payload.dict()), by=request.user
    )


@router.delete("/trace/products/{product_id}", response={204: None})
def delete_product(request: HttpRequest, product_id: int):
    product = get_scoped(Product.objects.all(), request.user, pk=product_id)
    catalog.delete_product(product=product, by=request.user)
    return 204, None


@router.get("/trace/lots", response=list[LotOut], summary="Lots an organization holds")
@paginate(Pages)
def list_lots(
    request: HttpRequest, organization_id: int, q: str = "", status: str = "", kind: str = ""
):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    lots = selectors.lot_list(
        request.user, organization=organization, search=q, status=status, kind=kind
    )
    return [_lot_out(lot) for lot in lots]


@router.get("/trace/lots/{lot_id}", response=LotOut)
def get_lot(request: HttpRequest, lot_id: int):
    return _lot_out(selectors.access_lot(request.user, lot_id=lot_id))


_TRACE_HELP = (
    "Backward: every ancestor lot down to the harvest lots, with the steps between. "
    "Forward: every descendant lot, the shipments out of them and who received them. "
    "`lots` lists every lot reached (canonical identifiers, the start included), `events` "
    "the eventIDs of the steps you may read; other organizations' internal steps are only "
    "counted, in `hiddenEvents`."
)


def _trace(request: HttpRequest, lot: Lot, direction: str) -> dict[str, Any]:
    return selectors.trace_lots([lot], direction, user=request.user).as_json()  # type: ignore[arg-type]


@router.get("/trace/lots/{lot_id}/backward", response=dict[str, Any], description=_TRACE_HELP)
def trace_lot_backward(request: HttpRequest, lot_id: int):
    return _trace(request, selectors.access_lot(request.user, lot_id=lot_id), "backward")


@router.get("/trace/lots/{lot_id}/forward", response=dict[str, Any], description=_TRACE_HELP)
def trace_lot_forward(request: HttpRequest, lot_id: int):
    return _trace(request, selectors.access_lot(request.user, lot_id=lot_id), "forward")


@router.get(
    "/trace/backward",
    response=dict[str, Any],
    summary="Backward trace of an identifier",
    description="epc: a GS1 Digital Link, an EPC URN, a platform lot URI or its short code. "
    + _TRACE_HELP,
)
def trace_epc_backward(request: HttpRequest, epc: str):
    return _trace(request, selectors.access_lot(request.user, epc=epc), "backward")


@router.get(
    "/trace/forward",
    response=dict[str, Any],
    summary="Forward trace of an identifier",
    description="epc: a GS1 Digital Link, an EPC URN, a platform lot URI or its short code. "
    + _TRACE_HELP,
)
def trace_epc_forward(request: HttpRequest, epc: str):
    return _trace(request, selectors.access_lot(request.user, epc=epc), "forward")


@router.get("/trace/lots/{lot_id}/findings", response=list[FindingOut])
def lot_findings(request: HttpRequest, lot_id: int):
    lot = selectors.access_lot(request.user, lot_id=lot_id)
    return [
        {
            "reason": f.reason,
            "quantity": f.quantity,
            "allowed": f.allowed,
            "unit": f.unit,
            "lot": f.lot.epc if f.lot else None,
            "event_id": f.event.event_id if f.event else None,
            "organization": f.organization.name if f.organization else None,
        }
        for f in mass_balance.lot_findings(lot)
    ]


@router.post("/trace/lots/{lot_id}/publish", response=LotOut)
def publish_lot(request: HttpRequest, lot_id: int, payload: PublishIn):
    lot = selectors.access_lot(request.user, lot_id=lot_id)
    return _lot_out(catalog.publish_lot(lot=lot, published=payload.published, by=request.user))


@router.post("/trace/lots/{lot_id}/recall", response={201: RecallOut})
def start_recall(request: HttpRequest, lot_id: int, payload: RecallIn):
    lot = selectors.access_lot(request.user, lot_id=lot_id)
    organization = get_scoped(Organization.objects.all(), request.user, pk=payload.organization_id)
    recall = recalls.start_recall(
        organization=organization, lot=lot, reason=payload.reason, by=request.user
    )
    return 201, _recall_out(recall)


@router.get("/trace/recalls", response=list[RecallOut])
@paginate(Pages)
def list_recalls(request: HttpRequest):
    found = scope(Recall.objects.all(), request.user).select_related("lot")
    return [_recall_out(recall) for recall in found]


@router.get("/trace/recalls/{recall_id}", response=RecallOut)
def get_recall(request: HttpRequest, recall_id: int):
    recall = get_scoped(Recall.objects.select_related("lot"), request.user, pk=recall_id)
    return _recall_out(recall)
