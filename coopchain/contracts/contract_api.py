"""Amendments, receipts, the price a contract's terms resolve to, side-selling and market
price files through /api/v1/. Imported by `coopchain.contracts.api`, whose router these
operations join."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Schema
from ninja.files import UploadedFile

from coopchain.contracts import amendments, market_prices, receipts, side_selling, terms
from coopchain.contracts.api import router
from coopchain.contracts.models import ContractAmendment, LinkageContract
from coopchain.errors import NotFound
from coopchain.parties.tenancy import get_scoped, grants_for


class AmendmentIn(Schema):
    effective_on: date
    reason: str
    quantity_kg: Decimal
    price_kind: str
    fixed_price: int | None = None
    market_percent: Decimal = Decimal(0)
    floor_price: int | None = None
    ceiling_price: int | None = None


class AmendmentSignatureIn(Schema):
    version: int
    side: str


class VersionOut(Schema):
    version: int
    in_force_on: date | None
    effective_on: date | None
    reason: str
    quantity_kg: Decimal
    price_kind: str
    fixed_price: int | None
    market_percent: Decimal
    floor_price: int | None
    ceiling_price: int | None
    buyer_signed_at: datetime | None
    seller_signed_at: datetime | None


class ReceiptIn(Schema):
    delivery_id: int
    accepted_kg: Decimal
    rejected_kg: Decimal = Decimal(0)
    received_on: date
    reason: str = ""


class ReceiptOut(Schema):
    delivery_id: int
    received_on: date
    accepted_kg: Decimal
    rejected_kg: Decimal
    reason: str
    event_id: str


class ResolutionOut(Schema):
    on: date
    version: int
    price_per_kg: int | None
    steps: list[str]
    problem: str


class MemberSupplyOut(Schema):
    member_id: int
    member_code: str
    produced_kg: Decimal
    reached_kg: Decimal
    gap_kg: Decimal


class SideSellingOut(Schema):
    source: str
    health: str
    produced_kg: Decimal
    reached_kg: Decimal
    percent: int | None
    # Each household's figures: for the selling cooperative only.
    members: list[MemberSupplyOut]


def _contract(request: HttpRequest, contract_id: int) -> LinkageContract:
    return get_scoped(
        LinkageContract.objects.select_related("buyer", "seller", "market_province"),
        request.user,
        pk=contract_id,
    )


def _version_out(amendment: ContractAmendment) -> dict:
    return {
        **{f: getattr(amendment, f) for f in VersionOut.model_fields if hasattr(amendment, f)},
        "version": amendment.version,
    }


@router.get("/contracts/{contract_id}/versions", response=list[VersionOut])
def list_contract_versions(request: HttpRequest, contract_id: int):
    """Every version of the terms: the contract as signed (1), then each amendment."""
    contract = _contract(request, contract_id)
    first = terms.original(contract)
    return [
        {
            "version": 1,
            "in_force_on": contract.starts_on,
            "effective_on": contract.starts_on,
            "reason": "",
            "quantity_kg": first.quantity_kg,
            "price_kind": first.price_kind,
            "fixed_price": first.fixed_price,
            "market_percent": first.market_percent,
            "floor_price": first.floor_price,
            "ceiling_price": first.ceiling_price,
            "buyer_signed_at": contract.buyer_signed_at,
            "seller_signed_at": contract.seller_signed_at,
        },
        *(_version_out(a) for a in contract.amendments.order_by("version")),
    ]


@router.post("/contracts/{contract_id}/amendments", response={201: VersionOut})
def propose_amendment(request: HttpRequest, contract_id: int, payload: AmendmentIn):
    """Propose the next version of the terms: the contracted quantity and the price terms. The
    delivery windows and quality grades stay as signed."""
    contract = _contract(request, contract_id)
    amendment = amendments.propose_amendment(
        contract=contract, data=amendments.AmendmentData(**payload.dict()), by=request.user
    )
    return 201, _version_out(amendment)


@router.post("/contracts/{contract_id}/amendment-signatures", response=VersionOut)
def sign_amendment(request: HttpRequest, contract_id: int, payload: AmendmentSignatureIn):
    contract = _contract(request, contract_id)
    amendment = contract.amendments.filter(version=payload.version).first()
    if amendment is None:
        raise NotFound(detail="No amendment matches.")
    return _version_out(
        amendments.sign_amendment(amendment=amendment, side=payload.side, by=request.user)
    )


@router.post("/contracts/{contract_id}/receipts", response={201: ReceiptOut})
def confirm_receipt(request: HttpRequest, contract_id: int, payload: ReceiptIn):
    """The buyer confirms a delivery arrived: accepted and rejected kilograms, recorded in the
    ledger as an EPCIS receiving event."""
    contract = _contract(request, contract_id)
    delivery = contract.deliveries.filter(pk=payload.delivery_id).first()
    if delivery is None:
        raise NotFound(detail="No delivery of this contract matches.")
    receipt = receipts.confirm_receipt(
        delivery=delivery,
        accepted_kg=payload.accepted_kg,
        rejected_kg=payload.rejected_kg,
        received_on=payload.received_on,
        reason=payload.reason,
        by=request.user,
    )
    return 201, {
        **{f: getattr(receipt, f) for f in ReceiptOut.model_fields if hasattr(receipt, f)},
        "delivery_id": delivery.pk,
    }


@router.get("/contracts/{contract_id}/price", response=ResolutionOut)
def resolve_price(request: HttpRequest, contract_id: int, on: date | None = None):
    """How the terms in force on a day resolve to a price per kg, step by step."""
    contract = _contract(request, contract_id)
    seen = market_prices.resolve(contract, on or timezone.localdate())
    return {
        "on": seen.on,
        "version": seen.version,
        "price_per_kg": seen.per_kg,
        "steps": seen.steps,
        "problem": seen.problem,
    }


@router.get("/contracts/{contract_id}/side-selling", response=SideSellingOut)
def get_side_selling(request: HttpRequest, contract_id: int):
    contract = _contract(request, contract_id)
    seen = side_selling.side_selling(contract)
    own = contract.seller_id in grants_for(request.user).record_org_ids
    return {
        "source": seen.source,
        "health": side_selling.health_line(contract, seen),
        "produced_kg": seen.produced_kg,
        "reached_kg": seen.reached_kg,
        "percent": seen.percent,
        "members": [
            {
                "member_id": r.member.pk,
                "member_code": r.member.code,
                "produced_kg": r.produced_kg,
                "reached_kg": r.reached_kg,
                "gap_kg": r.gap_kg,
            }
            for r in seen.rows
        ]
        if own
        else [],
    }


@router.post("/market-prices/import")
def import_market_prices(request: HttpRequest, file: File[UploadedFile], dry_run: bool = False):
    """A CSV or Excel file of market prices, all or nothing: the report names each problem by
    row and column; a dry run writes nothing; the same file twice stores each price once."""
    report = market_prices.import_market_prices(
        file=file, filename=file.name or "", dry_run=dry_run, by=request.user
    )
    if not report.ok:
        raise report.refusal()
    return report.as_dict()
