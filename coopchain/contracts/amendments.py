"""Amendments: the only way a signed contract's terms change.

Either party proposes an amendment with the whole set of terms it would bring (quantity and
price terms; the delivery windows and quality grades stay as signed, since deliveries already
recorded name them) and the day it is meant to take effect; both parties sign it, as they signed the
contract. Until both have signed, nothing changes. Once signed it is in force from the later
of its effective day and the day of the second signature, so a price already kept with a
delivery is never changed by it. One amendment at a time awaits signatures.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.contracts import services
from coopchain.contracts.models import ContractAmendment, LinkageContract
from coopchain.errors import Conflict, FieldError, InvalidInput
from coopchain.parties.tenancy import SYSTEM


@dataclass(frozen=True)
class AmendmentData:
    effective_on: date
    reason: str
    quantity_kg: Decimal
    price_kind: str
    fixed_price: int | None = None
    market_percent: Decimal = Decimal(0)
    floor_price: int | None = None
    ceiling_price: int | None = None

    def errors(self, contract: LinkageContract) -> list[FieldError]:
        found = []
        if not self.reason.strip():
            found.append(FieldError("reason", _("is required")))
        if not contract.starts_on <= self.effective_on <= contract.ends_on:
            found.append(
                FieldError(
                    "effective_on", _("is outside the contract's period"), str(self.effective_on)
                )
            )
        # The contract's own checks of quantity and price terms, on the amended values.
        as_contract = services.ContractData(
            number=contract.number,
            buyer=contract.buyer,
            seller=contract.seller,
            commodity=contract.commodity,
            starts_on=contract.starts_on,
            ends_on=contract.ends_on,
            quantity_kg=self.quantity_kg,
            price_kind=self.price_kind,
            fixed_price=self.fixed_price,
            market_province=contract.market_province,
            market_percent=self.market_percent,
            floor_price=self.floor_price,
            ceiling_price=self.ceiling_price,
        )
        found += as_contract.errors()
        if self.price_kind == LinkageContract.PriceKind.MARKET and contract.market_province is None:
            found.append(
                FieldError("price_kind", _("the contract names no market to follow"), "market")
            )
        return found


@transaction.atomic
def propose_amendment(
    *, contract: LinkageContract, data: AmendmentData, by: Any
) -> ContractAmendment:
    contract = LinkageContract.objects.select_for_update().get(pk=contract.pk)
    services._require_either(by, contract)
    if contract.status not in (LinkageContract.Status.SIGNED, LinkageContract.Status.ACTIVE):
        raise Conflict(
            detail=_(
                "Only a signed or active contract is amended; a draft is changed by drafting "
                "it again. This one is %(status)s."
            )
            % {"status": contract.get_status_display()}
        )
    pending = contract.amendments.filter(in_force_on__isnull=True).first()
    if pending is not None:
        raise Conflict(
            detail=_("Amendment %(version)s still awaits signatures.")
            % {"version": pending.version}
        )
    errors = data.errors(contract)
    if errors:
        raise InvalidInput(
            detail="; ".join(f"{e.field}: {e.reason}" for e in errors), errors=errors
        )
    last = contract.amendments.aggregate(v=Max("version"))["v"] or 1
    market = data.price_kind == LinkageContract.PriceKind.MARKET
    return ContractAmendment.objects.create(
        contract=contract,
        version=last + 1,
        effective_on=data.effective_on,
        reason=data.reason.strip(),
        quantity_kg=data.quantity_kg,
        price_kind=data.price_kind,
        fixed_price=None if market else data.fixed_price,
        market_percent=data.market_percent if market else Decimal(0),
        floor_price=data.floor_price,
        ceiling_price=data.ceiling_price,
        created_by=None if by is SYSTEM else by,
    )


@transaction.atomic
def sign_amendment(*, amendment: ContractAmendment, side: str, by: Any) -> ContractAmendment:
    """Sign for the buyer or the seller; with both signatures the amendment is in force."""
    amendment = (
        ContractAmendment.objects.select_for_update()
        .select_related("contract__buyer", "contract__seller")
        .get(pk=amendment.pk)
    )
    contract = amendment.contract
    if side not in ("buyer", "seller"):
        raise InvalidInput(
            detail=_("side: must be buyer or seller"),
            errors=[FieldError("side", _("must be buyer or seller"), side)],
        )
    services.require_party(by, contract.buyer if side == "buyer" else contract.seller)
    if amendment.signed:
        raise Conflict(detail=_("This amendment is already signed by both parties."))
    if getattr(amendment, f"{side}_signed_at") is not None:
        raise Conflict(detail=_("This side has already signed."))
    setattr(amendment, f"{side}_signed_by", None if by is SYSTEM else by)
    setattr(amendment, f"{side}_signed_at", timezone.now())
    if amendment.buyer_signed_at and amendment.seller_signed_at:
        amendment.in_force_on = max(amendment.effective_on, timezone.localdate())
    amendment.save()
    return amendment
