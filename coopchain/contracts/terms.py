"""Which version of a contract's terms is in force on a day.

The contract as both parties signed it is version 1. A signed amendment is the next version
and is in force from its `in_force_on` day: the terms in force on a day are those of the
latest amendment in force by then, else the contract's own. A delivery is priced by the terms
in force on its date, so an amendment never changes a price already kept with a delivery.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coopchain.contracts import pricing
from coopchain.contracts.models import ContractAmendment, LinkageContract


@dataclass(frozen=True)
class Version:
    number: int
    since: date
    quantity_kg: Decimal
    price_kind: str
    fixed_price: int | None
    market_percent: Decimal
    floor_price: int | None
    ceiling_price: int | None
    reason: str = ""
    amendment: ContractAmendment | None = None

    @property
    def follows_market(self) -> bool:
        return self.price_kind == LinkageContract.PriceKind.MARKET

    def pricing_terms(self) -> pricing.Terms:
        return pricing.Terms(
            fixed_price=self.fixed_price,
            market_percent=self.market_percent if self.follows_market else None,
            floor=self.floor_price,
            ceiling=self.ceiling_price,
        )


def original(contract: LinkageContract) -> Version:
    return Version(
        number=1,
        since=contract.starts_on,
        quantity_kg=contract.quantity_kg,
        price_kind=contract.price_kind,
        fixed_price=contract.fixed_price,
        market_percent=contract.market_percent,
        floor_price=contract.floor_price,
        ceiling_price=contract.ceiling_price,
    )


def of_amendment(amendment: ContractAmendment) -> Version:
    return Version(
        number=amendment.version,
        since=amendment.in_force_on or amendment.effective_on,
        quantity_kg=amendment.quantity_kg,
        price_kind=amendment.price_kind,
        fixed_price=amendment.fixed_price,
        market_percent=amendment.market_percent,
        floor_price=amendment.floor_price,
        ceiling_price=amendment.ceiling_price,
        reason=amendment.reason,
        amendment=amendment,
    )


def in_force(contract: LinkageContract, on: date) -> Version:
    """The terms in force on `on`: the latest signed amendment in force by then, else the
    contract as signed."""
    latest = (
        ContractAmendment.objects.filter(contract=contract, in_force_on__lte=on)
        .order_by("-version")
        .first()
    )
    return original(contract) if latest is None else of_amendment(latest)


def versions(contract: LinkageContract) -> list[Version]:
    """Every version, the contract's own first, proposed amendments not yet signed included."""
    return [original(contract)] + [of_amendment(a) for a in contract.amendments.order_by("version")]


def in_force_for(contracts: list[LinkageContract], on: date) -> dict[int, Version]:
    """The terms in force on `on` for each contract of a list, in one query."""
    latest: dict[int, ContractAmendment] = {}
    signed = ContractAmendment.objects.filter(contract__in=contracts, in_force_on__lte=on).order_by(
        "contract_id", "version"
    )
    for amendment in signed:
        latest[amendment.contract_id] = amendment
    return {c.pk: of_amendment(latest[c.pk]) if c.pk in latest else original(c) for c in contracts}
