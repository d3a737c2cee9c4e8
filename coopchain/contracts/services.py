"""Every write of linkage contracts, market prices, deliveries, member ledgers and payment runs.

A contract is drafted by either party and signed by both (Decree 98/2018/NĐ-CP: the parties,
the goods, quantity, quality, price and its method, delivery, inputs and advances, payment);
a contract without both signatures takes no delivery. A delivery ships a lot to the buyer: a
shipping event in the ledger with the buyer as destination, its price computed from the terms
on its date and kept with it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.contracts import pricing
from coopchain.contracts.models import (
    Advance,
    ContractDelivery,
    DeliveryWindow,
    LinkageContract,
    MarketPrice,
    QualityGrade,
)
from coopchain.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from coopchain.parties.models import AdminUnit, Organization, Role
from coopchain.parties.tenancy import SYSTEM, grants_for
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import organization_uri
from coopchain.trace.models import Lot

KILOGRAM = "KGM"


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(
            detail="; ".join(f"{e.field}: {e.reason}" for e in errors), errors=errors
        )


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date
    quantity_kg: Decimal


@dataclass(frozen=True)
class Grade:
    code: str
    name: str
    adjustment: int = 0


@dataclass(frozen=True)
class ContractData:
    number: str
    buyer: Organization
    seller: Organization
    commodity: str
    starts_on: date
    ends_on: date
    quantity_kg: Decimal
    price_kind: str
    season: str = ""
    fixed_price: int | None = None
    market_province: AdminUnit | None = None
    market_percent: Decimal = Decimal(0)
    floor_price: int | None = None
    ceiling_price: int | None = None
    recovery_percent: Decimal = Decimal(0)
    windows: Sequence[Window] = ()
    grades: Sequence[Grade] = ()

    def errors(self) -> list[FieldError]:
        found = []
        if not self.number.strip():
            found.append(FieldError("number", _("is required")))
        if not self.commodity.strip():
            found.append(FieldError("commodity", _("is required")))
        if self.buyer.pk == self.seller.pk:
            found.append(FieldError("seller_id", _("must differ from the buyer"), self.seller.pk))
        if not self.seller.is_cooperative:
            found.append(FieldError("seller_id", _("must be a cooperative"), self.seller.pk))
        if self.ends_on < self.starts_on:
            found.append(FieldError("ends_on", _("is before the start"), str(self.ends_on)))
        if self.quantity_kg <= 0:
            found.append(FieldError("quantity_kg", _("must be above zero"), str(self.quantity_kg)))
        if self.price_kind == LinkageContract.PriceKind.FIXED:
            if not self.fixed_price:
                found.append(FieldError("fixed_price", _("is required for a fixed price")))
        elif self.price_kind == LinkageContract.PriceKind.MARKET:
            if self.market_province is None:
                found.append(
                    FieldError("market_province", _("is required for a market-linked price"))
                )
            if not Decimal(-100) < self.market_percent <= Decimal(100):
                found.append(
                    FieldError(
                        "market_percent", _("must be within −100 and 100"), str(self.market_percent)
                    )
                )
        else:
            found.append(FieldError("price_kind", _("is not a known kind"), self.price_kind))
        if (
            self.floor_price is not None
            and self.ceiling_price is not None
            and self.floor_price > self.ceiling_price
        ):
            found.append(
                FieldError("ceiling_price", _("is below the floor price"), self.ceiling_price)
            )
        if not Decimal(0) <= self.recovery_percent <= Decimal(100):
            found.append(
                FieldError(
                    "recovery_percent", _("must be within 0 and 100"), str(self.recovery_percent)
                )
            )
        for i, w in enumerate(self.windows):
            if w.ends_on < w.starts_on or w.starts_on < self.starts_on or w.ends_on > self.ends_on:
                found.append(
                    FieldError("windows", _("must lie within the contract's dates"), None, i)
                )
            if w.quantity_kg <= 0:
                found.append(FieldError("windows", _("quantity must be above zero"), None, i))
        if sum((w.quantity_kg for w in self.windows), Decimal(0)) > self.quantity_kg:
            found.append(FieldError("windows", _("add up to more than the contracted quantity")))
        if len({g.code for g in self.grades}) != len(self.grades):
            found.append(FieldError("grades", _("codes must differ")))
        return found


# Who may act for a party to a contract: those who change its records, and an enterprise's
# buyers, who negotiate and sign its purchases.
PARTY_ROLES = frozenset({Role.Name.ADMIN, Role.Name.MANAGER, Role.Name.STAFF, Role.Name.BUYER})


def require_party(user: Any, organization: Organization) -> None:
    """Refuse an act for `organization` by a user who cannot act for it."""
    if user is SYSTEM:
        return
    grants = grants_for(user)
    if organization.pk not in grants.org_ids:
        raise NotFound(detail=_("No organization matches."))
    if not grants.role_names(organization.pk) & PARTY_ROLES:
        raise Forbidden(detail=_("Your role in this organization does not allow this."))


def _require_either(user: Any, contract: LinkageContract) -> None:
    grants = grants_for(user)
    for side in (contract.seller, contract.buyer):
        if user is SYSTEM or grants.role_names(side.pk) & PARTY_ROLES:
            return
    require_party(user, contract.seller)


@transaction.atomic
def create_contract(*, data: ContractData, by: Any) -> LinkageContract:
    if by is not SYSTEM and not any(
        grants_for(by).role_names(side.pk) & PARTY_ROLES for side in (data.buyer, data.seller)
    ):
        raise Forbidden(detail=_("Only the buyer or the seller may draft their contract."))
    _raise(data.errors())
    if LinkageContract.objects.filter(buyer=data.buyer, number=data.number.strip()).exists():
        raise Conflict(
            detail=_("The buyer already has a contract numbered %(number)s.")
            % {"number": data.number}
        )
    contract = LinkageContract.objects.create(
        number=data.number.strip(),
        buyer=data.buyer,
        seller=data.seller,
        commodity=data.commodity.strip(),
        season=data.season,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        quantity_kg=data.quantity_kg,
        price_kind=data.price_kind,
        fixed_price=data.fixed_price,
        market_province=data.market_province,
        market_percent=data.market_percent,
        floor_price=data.floor_price,
        ceiling_price=data.ceiling_price,
        recovery_percent=data.recovery_percent,
    )
    DeliveryWindow.objects.bulk_create(
        DeliveryWindow(
            contract=contract, starts_on=w.starts_on, ends_on=w.ends_on, quantity_kg=w.quantity_kg
        )
        for w in data.windows
    )
    QualityGrade.objects.bulk_create(
        QualityGrade(contract=contract, code=g.code, name=g.name, adjustment=g.adjustment)
        for g in data.grades
    )
    return contract


@transaction.atomic
def sign_contract(*, contract: LinkageContract, side: str, by: Any) -> LinkageContract:
    """Sign for the buyer or the seller; with both signatures the contract is signed."""
    contract = LinkageContract.objects.select_for_update().get(pk=contract.pk)
    if side not in ("buyer", "seller"):
        raise InvalidInput(
            detail=_("side: must be buyer or seller"),
            errors=[FieldError("side", _("must be buyer or seller"), side)],
        )
    require_party(by, contract.buyer if side == "buyer" else contract.seller)
    if contract.status != LinkageContract.Status.DRAFT:
        raise Conflict(
            detail=_("Only a draft contract is signed; this one is %(status)s.")
            % {"status": contract.get_status_display()}
        )
    if getattr(contract, f"{side}_signed_at") is not None:
        raise Conflict(detail=_("This side has already signed."))
    signer = None if by is SYSTEM else by
    setattr(contract, f"{side}_signed_by", signer)
    setattr(contract, f"{side}_signed_at", timezone.now())
    if contract.buyer_signed_at and contract.seller_signed_at:
        contract.status = LinkageContract.Status.SIGNED
    contract.save()
    return contract


@transaction.atomic
def end_contract(
    *, contract: LinkageContract, completed: bool, reason: str = "", by: Any
) -> LinkageContract:
    """Complete a contract, or terminate it with a reason."""
    _require_either(by, contract)
    if contract.status not in (LinkageContract.Status.SIGNED, LinkageContract.Status.ACTIVE):
        raise Conflict(detail=_("Only a signed or active contract can end."))
    if not completed and not reason.strip():
        raise InvalidInput(
            detail=_("reason: a termination needs a reason"),
            errors=[FieldError("reason", _("a termination needs a reason"))],
        )
    contract.status = (
        LinkageContract.Status.COMPLETED if completed else LinkageContract.Status.TERMINATED
    )
    contract.ended_on = timezone.localdate()
    contract.termination_reason = reason.strip()
    contract.save()
    return contract


@transaction.atomic
def add_advance(
    *,
    contract: LinkageContract,
    kind: str,
    provided_on: date,
    description: str,
    amount: int,
    by: Any,
) -> Advance:
    require_party(by, contract.buyer)
    if amount <= 0:
        raise InvalidInput(
            detail=_("amount: must be above zero"),
            errors=[FieldError("amount", _("must be above zero"), amount)],
        )
    return Advance.objects.create(
        contract=contract,
        kind=kind,
        provided_on=provided_on,
        description=description,
        amount=amount,
    )


@transaction.atomic
def record_market_price(
    *, commodity: str, province: AdminUnit, on: date, price: int, source: str, by: Any
) -> MarketPrice:
    """Record (or correct) the reference price of a commodity in a province on a day."""
    if by is not SYSTEM and not any(r.name in PARTY_ROLES for r in grants_for(by).roles):
        raise Forbidden(detail=_("Your roles do not allow recording market prices."))
    errors = []
    if price <= 0:
        errors.append(FieldError("price", _("must be above zero"), price))
    if not commodity.strip():
        errors.append(FieldError("commodity", _("is required")))
    if not source.strip():
        errors.append(FieldError("source", _("is required")))
    _raise(errors)
    row, _created = MarketPrice.objects.update_or_create(
        commodity=commodity.strip(),
        province=province,
        on=on,
        defaults={"price": price, "source": source.strip()},
    )
    return row


def market_price_on(contract: LinkageContract, on: date) -> MarketPrice | None:
    """The latest reference price on or before `on` in the contract's market."""
    return (
        MarketPrice.objects.filter(
            commodity=contract.commodity, province=contract.market_province, on__lte=on
        )
        .order_by("-on")
        .first()
    )


def terms_of(contract: LinkageContract) -> pricing.Terms:
    return pricing.Terms(
        fixed_price=contract.fixed_price,
        market_percent=(
            contract.market_percent
            if contract.price_kind == LinkageContract.PriceKind.MARKET
            else None
        ),
        floor=contract.floor_price,
        ceiling=contract.ceiling_price,
    )


def price_on(
    contract: LinkageContract, on: date, grade: QualityGrade | None = None
) -> pricing.Price:
    """The price per kg the contract's terms resolve to on a day, with how it was reached."""
    market = None
    if contract.price_kind == LinkageContract.PriceKind.MARKET:
        reference = market_price_on(contract, on)
        if reference is None:
            raise InvalidInput(
                detail=_("No market price of %(commodity)s on or before %(day)s.")
                % {"commodity": contract.commodity, "day": on.strftime("%d/%m/%Y")},
                errors=[FieldError("delivered_on", _("has no market price"), str(on))],
            )
        market = reference.price
    return pricing.price_per_kg(
        terms_of(contract), market_price=market, adjustment=grade.adjustment if grade else 0
    )


def _outstanding_advances(contract: LinkageContract) -> int:
    provided = contract.advances.aggregate(s=Sum("amount"))["s"] or 0
    recovered = contract.deliveries.aggregate(s=Sum("recovered"))["s"] or 0
    return provided - recovered


def _event_time(on: date) -> datetime:
    if on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(12)))


@transaction.atomic
def record_contract_delivery(
    *,
    contract: LinkageContract,
    lot: Lot,
    quantity_kg: Decimal,
    delivered_on: date,
    grade: QualityGrade | None = None,
    by: Any,
) -> ContractDelivery:
    """Ship `lot` to the buyer under `contract`, priced by its terms on `delivered_on`."""
    require_party(by, contract.seller)
    contract = LinkageContract.objects.select_for_update().get(pk=contract.pk)
    if not contract.takes_deliveries:
        raise Conflict(
            detail=_(
                "A contract takes deliveries once both parties have signed it; this one is %(status)s."
            )
            % {"status": contract.get_status_display()}
        )
    errors = []
    if lot.organization_id != contract.seller_id:
        errors.append(FieldError("lot_id", _("is not a lot of the seller"), lot.pk))
    if quantity_kg <= 0:
        errors.append(FieldError("quantity_kg", _("must be above zero"), str(quantity_kg)))
    if delivered_on > timezone.localdate():
        errors.append(FieldError("delivered_on", _("is in the future"), str(delivered_on)))
    elif not contract.starts_on <= delivered_on <= contract.ends_on:
        errors.append(
            FieldError("delivered_on", _("is outside the contract's period"), str(delivered_on))
        )
    if grade is not None and grade.contract_id != contract.pk:
        errors.append(FieldError("grade", _("is not a grade of this contract"), grade.code))
    _raise(errors)
    earlier = ContractDelivery.objects.filter(lot=lot).select_related("contract").first()
    if earlier is not None:
        raise Conflict(
            detail=_("Lot %(lot)s was already delivered under contract %(number)s.")
            % {"lot": lot.lot_number or lot.epc, "number": earlier.contract.number}
        )
    price = price_on(contract, delivered_on, grade)
    amount = pricing.amount(price.per_kg, quantity_kg)
    outstanding = _outstanding_advances(contract)
    recovered = min(
        outstanding, pricing.whole_dong(Decimal(amount) * contract.recovery_percent / 100)
    )
    delivered = contract.deliveries.aggregate(s=Sum("quantity_kg"))["s"] or Decimal(0)
    window = contract.windows.filter(starts_on__lte=delivered_on, ends_on__gte=delivered_on).first()
    delivery = ContractDelivery.objects.create(
        contract=contract,
        lot=lot,
        member=lot.harvested_by,
        delivered_on=delivered_on,
        quantity_kg=quantity_kg,
        grade=grade,
        window=window,
        price_per_kg=price.per_kg,
        price_lines=price.lines,
        amount=amount,
        recovered=max(recovered, 0),
        beyond_contract=delivered + quantity_kg > contract.quantity_kg,
    )
    if contract.status == LinkageContract.Status.SIGNED:
        contract.status = LinkageContract.Status.ACTIVE
        contract.activated_on = delivered_on
        contract.save(update_fields=["status", "activated_on"])
    ledger.record_event(
        organization=contract.seller,
        event=ledger.shipping_event(
            items=[ledger.Quantity(lot.epc, quantity_kg, KILOGRAM)],
            event_time=_event_time(delivered_on),
            source_party=organization_uri(contract.seller),
            destination_party=organization_uri(contract.buyer),
        ),
    )
    return delivery


@dataclass
class WindowFulfilment:
    label: str
    starts_on: date | None
    ends_on: date | None
    promised_kg: Decimal
    delivered_kg: Decimal
    deliveries: int
    amount: int

    @property
    def percent(self) -> int | None:
        if not self.promised_kg:
            return None
        return pricing.whole_dong(self.delivered_kg * 100 / self.promised_kg)


@dataclass
class Fulfilment:
    total: WindowFulfilment
    windows: list[WindowFulfilment] = field(default_factory=list)
    outside_windows: WindowFulfilment | None = None
    advances_outstanding: int = 0


def fulfilment(contract: LinkageContract) -> Fulfilment:
    """Promised against delivered, in total and per delivery window."""
    rows = list(contract.deliveries.values("window_id", "quantity_kg", "amount"))

    def summed(selected: list[dict[str, Any]]) -> tuple[Decimal, int, int]:
        return (
            sum((r["quantity_kg"] for r in selected), Decimal(0)),
            len(selected),
            sum(r["amount"] for r in selected),
        )

    windows = []
    for w in contract.windows.all():
        kg, count, money = summed([r for r in rows if r["window_id"] == w.pk])
        windows.append(
            WindowFulfilment(
                f"{w.starts_on:%d/%m/%Y}–{w.ends_on:%d/%m/%Y}",
                w.starts_on,
                w.ends_on,
                w.quantity_kg,
                kg,
                count,
                money,
            )
        )
    outside = [r for r in rows if r["window_id"] is None]
    kg, count, money = summed(rows)
    result = Fulfilment(
        total=WindowFulfilment(
            _("Whole contract"),
            contract.starts_on,
            contract.ends_on,
            contract.quantity_kg,
            kg,
            count,
            money,
        ),
        windows=windows,
        advances_outstanding=_outstanding_advances(contract),
    )
    if outside and windows:
        kg, count, money = summed(outside)
        result.outside_windows = WindowFulfilment(
            _("Outside the delivery windows"), None, None, Decimal(0), kg, count, money
        )
    return result


def contracts_of(organization: Organization) -> Q:
    return Q(buyer=organization) | Q(seller=organization)
