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
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.contracts import payments, pricing, quality, terms
from coopchain.contracts.models import (
    Advance,
    ContractDelivery,
    DeliveryWindow,
    LedgerEntry,
    LinkageContract,
    MarketPrice,
    PaymentLine,
    PaymentRun,
    QualityGrade,
)
from coopchain.dairy.models import MilkBill
from coopchain.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from coopchain.parties.models import AdminUnit, Member, Organization, Role
from coopchain.parties.tenancy import SYSTEM, grants_for, require_write
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import organization_uri
from coopchain.trace.models import Event, Lot

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
    lowest: Decimal | None = None
    highest: Decimal | None = None


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
    quality_measure: str = ""
    from_members: bool = False

    def errors(self) -> list[FieldError]:
        found = []
        if not self.number.strip():
            found.append(FieldError("number", _("is required")))
        if not self.commodity.strip():
            found.append(FieldError("commodity", _("is required")))
        if self.from_members:
            if self.buyer.pk != self.seller.pk:
                found.append(
                    FieldError(
                        "seller_id",
                        _("must be the buying cooperative, whose members sell to it"),
                        self.seller.pk,
                    )
                )
        elif self.buyer.pk == self.seller.pk:
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
        for i, g in enumerate(self.grades):
            if g.lowest is not None and g.highest is not None and g.lowest > g.highest:
                found.append(FieldError("grades", _("the lowest is above the highest"), None, i))
        return found


def contract_data(
    *,
    organization: Organization,
    values: dict[str, Any],
    windows: Sequence[dict[str, Any]] = (),
    grades: Sequence[dict[str, Any]] = (),
) -> ContractData:
    """A draft's terms as entered on the page by `organization`, seller or buyer."""
    selling = values["our_side"] == "seller"
    market = values["price_kind"] == LinkageContract.PriceKind.MARKET
    from_members = bool(values.get("from_members"))
    other = organization if from_members else values["counterparty"]
    return ContractData(
        number=values["number"],
        buyer=other if selling else organization,
        seller=organization if selling else other,
        from_members=from_members,
        commodity=values["commodity"],
        season=values.get("season") or "",
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        quantity_kg=values["quantity_kg"],
        price_kind=values["price_kind"],
        fixed_price=None if market else values.get("fixed_price"),
        market_province=values.get("market_province") if market else None,
        market_percent=(values.get("market_percent") or Decimal(0)) if market else Decimal(0),
        floor_price=values.get("floor_price"),
        ceiling_price=values.get("ceiling_price"),
        recovery_percent=values.get("recovery_percent") or Decimal(0),
        windows=[Window(w["starts_on"], w["ends_on"], w["quantity_kg"]) for w in windows],
        grades=[
            Grade(
                g["code"].strip(),
                g["name"].strip(),
                g.get("adjustment") or 0,
                g.get("lowest"),
                g.get("highest"),
            )
            for g in grades
        ],
        quality_measure=values.get("quality_measure") or "",
    )


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
        quality_measure=data.quality_measure.strip(),
        from_members=data.from_members,
    )
    DeliveryWindow.objects.bulk_create(
        DeliveryWindow(
            contract=contract, starts_on=w.starts_on, ends_on=w.ends_on, quantity_kg=w.quantity_kg
        )
        for w in data.windows
    )
    QualityGrade.objects.bulk_create(
        QualityGrade(
            contract=contract,
            code=g.code,
            name=g.name,
            adjustment=g.adjustment,
            lowest=g.lowest,
            highest=g.highest,
        )
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


def terms_of(contract: LinkageContract, on: date | None = None) -> pricing.Terms:
    """The price terms in force on `on` (today when not given)."""
    return terms.in_force(contract, on or timezone.localdate()).pricing_terms()


def price_on(
    contract: LinkageContract, on: date, grade: QualityGrade | None = None
) -> pricing.Price:
    """The price per kg the terms in force on a day resolve to, with how it was reached."""
    version = terms.in_force(contract, on)
    market = None
    if version.follows_market:
        reference = market_price_on(contract, on)
        if reference is None:
            raise InvalidInput(
                detail=_("No market price of %(commodity)s on or before %(day)s.")
                % {"commodity": contract.commodity, "day": on.strftime("%d/%m/%Y")},
                errors=[FieldError("delivered_on", _("has no market price"), str(on))],
            )
        market = reference.price
    return pricing.price_per_kg(
        version.pricing_terms(),
        market_price=market,
        adjustment=grade.adjustment if grade else 0,
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
    measured_quality: Decimal | None = None,
    by: Any,
) -> ContractDelivery:
    """Ship `lot` to the buyer under `contract`, priced by its terms on `delivered_on`.

    With `measured_quality` and no `grade`, the grade is the one the measurement falls in
    (see `coopchain.contracts.quality`)."""
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
    graded = quality.grade_for(contract, measured_quality)
    if grade is None:
        grade = graded.grade
    version = terms.in_force(contract, delivered_on)
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
        beyond_contract=delivered + quantity_kg > version.quantity_kg,
        measured_quality=measured_quality,
        below_specification=graded.below_specification and grade == graded.grade,
        terms_version=version.number,
    )
    if contract.status == LinkageContract.Status.SIGNED:
        contract.status = LinkageContract.Status.ACTIVE
        contract.activated_on = delivered_on
        contract.save(update_fields=["status", "activated_on"])
    destination = organization_uri(contract.buyer)
    if not _shipped_to(lot, destination):
        ledger.record_event(
            organization=contract.seller,
            event=ledger.shipping_event(
                items=[ledger.Quantity(lot.epc, quantity_kg, KILOGRAM)],
                event_time=_event_time(delivered_on),
                source_party=organization_uri(contract.seller),
                destination_party=destination,
            ),
        )
    _post_delivery(delivery)
    return delivery


def _shipped_to(lot: Lot, destination: str) -> bool:
    """Whether the ledger already holds the lot's shipment to the buyer (milk bulk lots are
    shipped when they leave the tank): a contract delivery does not ship it twice."""
    shipments = Event.objects.filter(
        biz_step="shipping", event_objects__lot=lot, is_error_declaration=False
    ).distinct()
    return any(
        d.get("destination") == destination
        for event in shipments
        for d in event.document.get("destinationList") or []
    )


@dataclass
class WindowFulfilment:
    label: str
    starts_on: date | None
    ends_on: date | None
    promised_kg: Decimal
    delivered_kg: Decimal
    deliveries: int
    amount: int
    # From the buyer's receipts: deliveries not yet confirmed count in neither.
    accepted_kg: Decimal = Decimal(0)
    rejected_kg: Decimal = Decimal(0)

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
    """Promised against delivered, accepted and rejected, in total and per delivery window.
    The whole contract's promise is the quantity of the terms in force today."""
    rows = list(
        contract.deliveries.values(
            "window_id", "quantity_kg", "amount", "receipt__accepted_kg", "receipt__rejected_kg"
        )
    )

    def summed(
        label: str, starts: date | None, ends: date | None, promised: Decimal, selected: list
    ) -> WindowFulfilment:
        return WindowFulfilment(
            label,
            starts,
            ends,
            promised,
            sum((r["quantity_kg"] for r in selected), Decimal(0)),
            len(selected),
            sum(r["amount"] for r in selected),
            sum((r["receipt__accepted_kg"] or Decimal(0) for r in selected), Decimal(0)),
            sum((r["receipt__rejected_kg"] or Decimal(0) for r in selected), Decimal(0)),
        )

    windows = [
        summed(
            f"{w.starts_on:%d/%m/%Y}–{w.ends_on:%d/%m/%Y}",
            w.starts_on,
            w.ends_on,
            w.quantity_kg,
            [r for r in rows if r["window_id"] == w.pk],
        )
        for w in contract.windows.all()
    ]
    promised = terms.in_force(contract, timezone.localdate()).quantity_kg
    result = Fulfilment(
        total=summed(_("Whole contract"), contract.starts_on, contract.ends_on, promised, rows),
        windows=windows,
        advances_outstanding=_outstanding_advances(contract),
    )
    outside = [r for r in rows if r["window_id"] is None]
    if outside and windows:
        result.outside_windows = summed(
            _("Outside the delivery windows"), None, None, Decimal(0), outside
        )
    return result


def contracts_of(organization: Organization) -> Q:
    return Q(buyer=organization) | Q(seller=organization)


# --- The member ledger and payment runs -------------------------------------------------------

CREDITS = (LedgerEntry.Kind.PRODUCE, LedgerEntry.Kind.MILK)


def _require_member_of(member: Member, organization: Organization) -> None:
    if member.organization_id != organization.pk:
        raise InvalidInput(
            detail=_("member_id: is not a member of this cooperative"),
            errors=[FieldError("member_id", _("is not a member of this cooperative"), member.pk)],
        )


@transaction.atomic
def add_ledger_entry(
    *,
    organization: Organization,
    member: Member,
    on: date,
    kind: str,
    amount: int,
    description: str,
    by: Any,
) -> LedgerEntry:
    """Append an amount between the cooperative and a member. `amount` is what it is worth:
    produce and milk are owed to the member, inputs, advances and fees are owed by them; a
    correction carries its own sign. Payments are entered only by paying a payment run."""
    require_write(by, organization)
    _require_member_of(member, organization)
    errors = []
    if kind not in LedgerEntry.Kind.values or kind == LedgerEntry.Kind.PAYMENT:
        errors.append(FieldError("kind", _("is not a kind of entry that can be added"), kind))
    if kind == LedgerEntry.Kind.CORRECTION:
        if amount == 0:
            errors.append(FieldError("amount", _("must not be zero"), amount))
    elif amount <= 0:
        errors.append(FieldError("amount", _("must be above zero"), amount))
    if not description.strip():
        errors.append(FieldError("description", _("is required")))
    _raise(errors)
    signed = -amount if kind in LedgerEntry.DEBTS else amount
    return LedgerEntry.objects.create(
        organization=organization,
        member=member,
        on=on,
        kind=kind,
        amount=signed,
        description=description.strip(),
    )


def _post_delivery(delivery: ContractDelivery) -> None:
    """A member's harvest delivered under the cooperative's contract is produce the
    cooperative bought from them, at the contract's price."""
    contract = delivery.contract
    member = delivery.member
    if member is None or member.organization_id != contract.seller_id:
        return
    LedgerEntry.objects.create(
        organization=contract.seller,
        member=member,
        on=delivery.delivered_on,
        kind=LedgerEntry.Kind.PRODUCE,
        amount=delivery.amount,
        description=_("Contract %(number)s: %(kg)s kg × %(price)s VND/kg")
        % {
            "number": contract.number,
            "kg": delivery.quantity_kg,
            "price": f"{delivery.price_per_kg:,}",
        },
        delivery=delivery,
    )


@transaction.atomic
def post_milk_bills(*, organization: Organization, start: date, end: date, by: Any) -> int:
    """Post the closed milk bills of a period into the member ledger, once each: a bill's net
    (its milk less the deductions the bill already took) is owed to the member."""
    require_write(by, organization)
    posted = LedgerEntry.objects.filter(milk_bill__isnull=False).values("milk_bill_id")
    bills = MilkBill.objects.filter(
        organization=organization,
        closed=True,
        period_start__gte=start,
        period_end__lte=end,
    ).exclude(pk__in=posted)
    entries = [
        LedgerEntry(
            organization=organization,
            member_id=bill.member_id,
            on=bill.period_end,
            kind=LedgerEntry.Kind.MILK,
            amount=bill.net,
            description=_("Milk bill %(start)s–%(end)s: %(gross)s less %(deductions)s deducted")
            % {
                "start": bill.period_start.strftime("%d/%m"),
                "end": bill.period_end.strftime("%d/%m/%Y"),
                "gross": f"{bill.gross:,}",
                "deductions": f"{bill.deductions:,}",
            },
            milk_bill=bill,
        )
        for bill in bills
    ]
    LedgerEntry.objects.bulk_create(entries)
    return len(entries)


@dataclass(frozen=True)
class Position:
    """Where a member stands for paying: owed to them and not yet settled by an approved
    run, and owed by them and not yet recovered."""

    due: int
    outstanding_debt: int


def position(member: Member, *, until: date, excluding: PaymentRun | None = None) -> Position:
    seen = payments.standings([member.pk], until=until, excluding=excluding)[member.pk]
    return Position(due=seen.due, outstanding_debt=seen.outstanding_debt)


def _line(
    run: PaymentRun,
    member: Member,
    seen: payments.Standing,
    in_period: list[LedgerEntry],
) -> PaymentLine | None:
    """A member's line from their standing (excluding this run) and their entries in the
    run's period; no query."""
    if seen.due <= 0:
        return None
    limit = seen.due * run.recovery_limit_percent // 100
    deduction = min(max(seen.outstanding_debt, 0), limit)
    credited = [e for e in in_period if e.amount > 0]
    explanation = []
    earlier = seen.due - sum(e.amount for e in credited)
    if earlier:
        explanation.append(
            {
                "code": "earlier",
                "text": _("Owed from before this period, not yet paid"),
                "amount": earlier,
            }
        )
    explanation += [
        {"code": e.kind, "on": e.on.isoformat(), "text": e.description, "amount": e.amount}
        for e in credited
    ]
    if deduction:
        explanation.append(
            {
                "code": "recovered",
                "text": _(
                    "Recovered for inputs, advances and fees: %(deduction)s of %(debt)s owed "
                    "(at most %(limit)s %% of what is due)"
                )
                % {
                    "deduction": f"{deduction:,}",
                    "debt": f"{seen.outstanding_debt:,}",
                    "limit": run.recovery_limit_percent,
                },
                "amount": -deduction,
                "limit": limit,
                "parts": payments.deduction_parts(deduction, seen.debts_by_kind()),
                "entries": payments.debt_items(in_period),
            }
        )
    return PaymentLine(
        run=run,
        member=member,
        due=seen.due,
        outstanding_debt=max(seen.outstanding_debt, 0),
        deduction=deduction,
        pay=seen.due - deduction,
        explanation=explanation,
    )


@transaction.atomic
def prepare_payment_run(
    *,
    organization: Organization,
    period_start: date,
    period_end: date,
    members: Sequence[Member] | None = None,
    recovery_limit_percent: int = 50,
    by: Any,
) -> PaymentRun:
    """A draft run paying each chosen member (all with entries, when none are chosen) what is
    due to them up to the period's end, less what they owe within the recovery limit."""
    require_write(by, organization)
    errors = []
    if period_end < period_start:
        errors.append(FieldError("period_end", _("is before the start"), str(period_end)))
    if not 0 <= recovery_limit_percent <= 100:
        errors.append(
            FieldError(
                "recovery_limit_percent", _("must be within 0 and 100"), recovery_limit_percent
            )
        )
    _raise(errors)
    if members is None:
        ids = LedgerEntry.objects.filter(organization=organization, on__lte=period_end).values(
            "member_id"
        )
        members = list(Member.objects.filter(pk__in=ids).order_by("code"))
    for member in members:
        _require_member_of(member, organization)
    run = PaymentRun.objects.create(
        organization=organization,
        period_start=period_start,
        period_end=period_end,
        recovery_limit_percent=recovery_limit_percent,
        created_by=None if by is SYSTEM else by,
    )
    # Every member's sums in a fixed number of grouped queries, however many members.
    ids = [m.pk for m in members]
    standing = payments.standings(ids, until=period_end, excluding=run)
    in_period = payments.entries_in_period(ids, run)
    PaymentLine.objects.bulk_create(
        line
        for line in (_line(run, m, standing[m.pk], in_period[m.pk]) for m in members)
        if line is not None
    )
    return run


def _overlapping(run: PaymentRun) -> QuerySet[PaymentRun]:
    return PaymentRun.objects.filter(
        organization=run.organization,
        status__in=(PaymentRun.Status.APPROVED, PaymentRun.Status.PAID),
        period_start__lte=run.period_end,
        period_end__gte=run.period_start,
    ).exclude(pk=run.pk)


@transaction.atomic
def approve_payment_run(*, run: PaymentRun, by: Any) -> PaymentRun:
    """Approve a draft run; from then on it does not change (a correction is a new entry)."""
    run = (
        PaymentRun.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=run.pk)
    )
    payments.require_approver(run, by)
    if run.status != PaymentRun.Status.DRAFT:
        raise Conflict(detail=_("An approved payment run cannot change."))
    other = _overlapping(run).first()
    if other is not None:
        raise Conflict(
            detail=_("The run for %(start)s–%(end)s is already approved for this period.")
            % {
                "start": other.period_start.strftime("%d/%m/%Y"),
                "end": other.period_end.strftime("%d/%m/%Y"),
            }
        )
    lines = list(run.lines.select_related("member"))
    standing = payments.standings(
        [line.member_id for line in lines], until=run.period_end, excluding=run
    )
    for line in lines:
        seen = standing[line.member_id]
        if line.pay + line.deduction > seen.due:
            raise Conflict(
                detail=_(
                    "This run would pay %(member)s %(pay)s VND, more than the %(due)s VND owed: "
                    "prepare it again."
                )
                % {"member": line.member.code, "pay": f"{line.pay:,}", "due": f"{seen.due:,}"}
            )
    run.status = PaymentRun.Status.APPROVED
    run.approved_by = None if by is SYSTEM else by
    run.approved_at = timezone.now()
    run.save()
    return run


@transaction.atomic
def mark_payment_run_paid(*, run: PaymentRun, paid_on: date, by: Any) -> PaymentRun:
    """Record that the approved run's money went out: one payment entry per member."""
    require_write(by, run.organization)
    run = PaymentRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PaymentRun.Status.APPROVED:
        raise Conflict(detail=_("Only an approved payment run is paid."))
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            organization=run.organization,
            member_id=line.member_id,
            on=paid_on,
            kind=LedgerEntry.Kind.PAYMENT,
            amount=-line.pay,
            description=_("Paid in the run for %(start)s–%(end)s")
            % {
                "start": run.period_start.strftime("%d/%m/%Y"),
                "end": run.period_end.strftime("%d/%m/%Y"),
            },
            payment_line=line,
        )
        for line in run.lines.all()
        if line.pay
    )
    run.status = PaymentRun.Status.PAID
    run.paid_at = timezone.now()
    run.save()
    return run


def health(contract: LinkageContract, today: date | None = None) -> str:
    """A contract's state in one line a manager understands."""
    today = today or timezone.localdate()
    if contract.status == LinkageContract.Status.DRAFT:
        signed = [
            side
            for side, at in (
                (_("buyer"), contract.buyer_signed_at),
                (_("seller"), contract.seller_signed_at),
            )
            if at
        ]
        if signed:
            return _("Waiting for the other party's signature (signed by the %(side)s).") % {
                "side": signed[0]
            }
        return _("Draft: waiting for both signatures.")
    if contract.status in (LinkageContract.Status.COMPLETED, LinkageContract.Status.TERMINATED):
        return str(contract.get_status_display())
    seen = fulfilment(contract)
    behind = [w for w in seen.windows if w.ends_on and w.ends_on < today and (w.percent or 0) < 90]
    if behind:
        worst = min(behind, key=lambda w: w.percent or 0)
        return _("Behind: the window %(window)s received %(percent)s %% of what was promised.") % {
            "window": worst.label,
            "percent": worst.percent or 0,
        }
    return _("On track: %(percent)s %% of the contracted quantity delivered.") % {
        "percent": seen.total.percent or 0
    }
