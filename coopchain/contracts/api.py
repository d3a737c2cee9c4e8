"""Linkage contracts through /api/v1/: contracts (both parties read them), signatures,
deliveries with their computed prices, fulfilment, and market prices."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from coopchain.contracts import selectors, services, terms
from coopchain.contracts.models import ContractDelivery, LinkageContract, MarketPrice, PaymentRun
from coopchain.contracts.schemas import (
    ContractDeliveryIn,
    ContractDeliveryOut,
    ContractIn,
    ContractOut,
    EndIn,
    FulfilmentOut,
    LedgerEntryIn,
    LedgerEntryOut,
    MarketPriceIn,
    MarketPriceOut,
    MemberLedgerOut,
    PaymentRunIn,
    PaymentRunOut,
    SignIn,
)
from coopchain.errors import NotFound
from coopchain.parties.api import Pages
from coopchain.parties.models import AdminUnit, Member, Organization
from coopchain.parties.tenancy import get_scoped, scope
from coopchain.trace.models import Lot

router = Router(tags=["contracts"])


# The terms a contract body shows: those in force today, not the contract as first signed.
TERMS_FIELDS = (
    "quantity_kg",
    "price_kind",
    "fixed_price",
    "market_percent",
    "floor_price",
    "ceiling_price",
)


def _contract_out(c: LinkageContract, version: terms.Version | None = None) -> dict[str, Any]:
    version = version or terms.in_force(c, timezone.localdate())
    return {
        **{f: getattr(c, f) for f in ContractOut.model_fields if hasattr(c, f)},
        **{f: getattr(version, f) for f in TERMS_FIELDS},
        "terms_version": version.number,
        "terms_since": version.since,
        "versions_url": reverse("api:list_contract_versions", kwargs={"contract_id": c.pk}),
        "buyer_name": c.buyer.name,
        "seller_name": c.seller.name,
        "market_province": c.market_province_id,
        "windows": list(c.windows.all()),
        "grades": list(c.grades.all()),
    }


def _delivery_out(d: ContractDelivery) -> dict[str, Any]:
    return {
        **{f: getattr(d, f) for f in ContractDeliveryOut.model_fields if hasattr(d, f)},
        "lot_epc": d.lot.epc,
        "grade": d.grade.code if d.grade_id else None,
    }


def _province(code: str | None) -> AdminUnit | None:
    if not code:
        return None
    return AdminUnit.objects.filter(code=code, level=AdminUnit.Level.PROVINCE).first()


def _organization(pk: int) -> Organization:
    """A counterparty is named by id: either party may name the other."""
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(detail="No organization matches.")
    return found


@router.get("/contracts", response=list[ContractOut])
@paginate(Pages)
def list_contracts(request: HttpRequest, status: str | None = None):
    rows = selectors.contracts(request.user)
    if status:
        rows = rows.filter(status=status)
    contracts = list(rows.prefetch_related("windows", "grades")[:1000])
    in_force = terms.in_force_for(contracts, timezone.localdate())
    return [_contract_out(c, in_force[c.pk]) for c in contracts]


@router.post("/contracts", response={201: ContractOut})
def create_contract(request: HttpRequest, payload: ContractIn):
    data = services.ContractData(
        **payload.dict(exclude={"buyer_id", "seller_id", "market_province", "windows", "grades"}),
        buyer=_organization(payload.buyer_id),
        seller=_organization(payload.seller_id),
        market_province=_province(payload.market_province),
        windows=[services.Window(**w.dict()) for w in payload.windows],
        grades=[services.Grade(**g.dict()) for g in payload.grades],
    )
    return 201, _contract_out(services.create_contract(data=data, by=request.user))


@router.get("/contracts/{contract_id}", response=ContractOut)
def get_contract(request: HttpRequest, contract_id: int):
    return _contract_out(get_scoped(LinkageContract.objects.all(), request.user, pk=contract_id))


@router.post("/contracts/{contract_id}/signatures", response=ContractOut)
def sign_contract(request: HttpRequest, contract_id: int, payload: SignIn):
    contract = get_scoped(LinkageContract.objects.all(), request.user, pk=contract_id)
    return _contract_out(
        services.sign_contract(contract=contract, side=payload.side, by=request.user)
    )


@router.post("/contracts/{contract_id}/end", response=ContractOut)
def end_contract(request: HttpRequest, contract_id: int, payload: EndIn):
    contract = get_scoped(LinkageContract.objects.all(), request.user, pk=contract_id)
    ended = services.end_contract(
        contract=contract, completed=payload.completed, reason=payload.reason, by=request.user
    )
    return _contract_out(ended)


@router.get("/contracts/{contract_id}/deliveries", response=list[ContractDeliveryOut])
@paginate(Pages)
def list_contract_deliveries(request: HttpRequest, contract_id: int):
    contract = get_scoped(LinkageContract.objects.all(), request.user, pk=contract_id)
    rows = contract.deliveries.select_related("lot", "grade")
    return [_delivery_out(d) for d in rows[:2000]]


@router.post("/contracts/{contract_id}/deliveries", response={201: ContractDeliveryOut})
def record_contract_delivery(request: HttpRequest, contract_id: int, payload: ContractDeliveryIn):
    contract = get_scoped(LinkageContract.objects.all(), request.user, pk=contract_id)
    lot = get_scoped(Lot.objects.all(), request.user, pk=payload.lot_id)
    grade = contract.grades.filter(code=payload.grade).first() if payload.grade else None
    delivery = services.record_contract_delivery(
        contract=contract,
        lot=lot,
        quantity_kg=payload.quantity_kg,
        delivered_on=payload.delivered_on,
        grade=grade,
        by=request.user,
    )
    return 201, _delivery_out(delivery)


@router.get("/contracts/{contract_id}/fulfilment", response=FulfilmentOut)
def get_fulfilment(request: HttpRequest, contract_id: int):
    contract = get_scoped(LinkageContract.objects.all(), request.user, pk=contract_id)
    return services.fulfilment(contract)


@router.get("/market-prices", response=list[MarketPriceOut])
@paginate(Pages)
def list_market_prices(
    request: HttpRequest,
    commodity: str | None = None,
    province: str | None = None,
    since: date | None = None,
):
    rows = scope(MarketPrice.objects.all(), request.user)
    if commodity:
        rows = rows.filter(commodity=commodity)
    if province:
        rows = rows.filter(province_id=province)
    if since:
        rows = rows.filter(on__gte=since)
    return [
        {
            **{f: getattr(m, f) for f in ("id", "commodity", "on", "price", "source")},
            "province": m.province_id,
        }
        for m in rows[:2000]
    ]


@router.post("/market-prices", response={201: MarketPriceOut})
def record_market_price(request: HttpRequest, payload: MarketPriceIn):
    province = _province(payload.province)
    if province is None:
        raise NotFound(detail="No province matches.")
    row = services.record_market_price(
        commodity=payload.commodity,
        province=province,
        on=payload.on,
        price=payload.price,
        source=payload.source,
        by=request.user,
    )
    return 201, {
        **{f: getattr(row, f) for f in ("id", "commodity", "on", "price", "source")},
        "province": row.province_id,
    }


def _run_out(run: PaymentRun) -> dict[str, Any]:
    return {
        **{f: getattr(run, f) for f in PaymentRunOut.model_fields if hasattr(run, f)},
        "lines": list(run.lines.select_related("member")),
    }


@router.get("/members/{member_id}/ledger", response=MemberLedgerOut)
def get_member_ledger(request: HttpRequest, member_id: int):
    member = get_scoped(Member.objects.all(), request.user, pk=member_id)
    rows = selectors.passbook(member)
    return {
        "member_id": member.pk,
        "balance": rows[-1][1] if rows else 0,
        "entries": [
            {
                **{f: getattr(e, f) for f in ("id", "on", "kind", "amount", "description")},
                "balance_after": after,
            }
            for e, after in rows
        ],
    }


@router.post("/ledger-entries", response={201: LedgerEntryOut})
def add_ledger_entry(request: HttpRequest, payload: LedgerEntryIn):
    member = get_scoped(
        Member.objects.select_related("organization"), request.user, pk=payload.member_id
    )
    row = services.add_ledger_entry(
        organization=member.organization,
        member=member,
        on=payload.on,
        kind=payload.kind,
        amount=payload.amount,
        description=payload.description,
        by=request.user,
    )
    return 201, {
        **{f: getattr(row, f) for f in ("id", "on", "kind", "amount", "description")},
        "balance_after": selectors.balance(member),
    }


@router.get("/payment-runs", response=list[PaymentRunOut])
@paginate(Pages)
def list_payment_runs(request: HttpRequest):
    return [_run_out(r) for r in selectors.payment_runs(request.user)[:500]]


@router.post("/payment-runs", response={201: PaymentRunOut})
def prepare_payment_run(request: HttpRequest, payload: PaymentRunIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=payload.organization_id)
    members = None
    if payload.member_ids:
        members = [
            get_scoped(Member.objects.all(), request.user, pk=pk) for pk in payload.member_ids
        ]
    run = services.prepare_payment_run(
        organization=organization,
        period_start=payload.period_start,
        period_end=payload.period_end,
        members=members,
        recovery_limit_percent=payload.recovery_limit_percent,
        by=request.user,
    )
    return 201, _run_out(run)


@router.get("/payment-runs/{run_id}", response=PaymentRunOut)
def get_payment_run(request: HttpRequest, run_id: int):
    return _run_out(get_scoped(PaymentRun.objects.all(), request.user, pk=run_id))


@router.post("/payment-runs/{run_id}/approval", response=PaymentRunOut)
def approve_payment_run(request: HttpRequest, run_id: int):
    run = get_scoped(PaymentRun.objects.all(), request.user, pk=run_id)
    return _run_out(services.approve_payment_run(run=run, by=request.user))


@router.post("/payment-runs/{run_id}/payment", response=PaymentRunOut)
def mark_payment_run_paid(request: HttpRequest, run_id: int):
    run = get_scoped(PaymentRun.objects.all(), request.user, pk=run_id)
    return _run_out(
        services.mark_payment_run_paid(run=run, paid_on=timezone.localdate(), by=request.user)
    )


# The payment runs' review, bank file, statements and approval rule (payments_api), and
# amendments, receipts, price resolution, side-selling and market price files (contract_api)
# join this router; imported last, as those modules add their operations to `router`.
from coopchain.contracts import contract_api, payments_api  # noqa: E402, F401
