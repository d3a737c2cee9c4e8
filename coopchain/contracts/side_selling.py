"""Per member, what they produced against what reached the contract, so that side-selling and
losses become visible; and a contract's fulfilment over time as a chart.

What a member produced: their harvest lots in the contract's period (the diary's harvests
become lots in the ledger, `coopchain.diary.harvests`) or, when the contract takes a dairy's
bulk milk, the milk they delivered to its collection centres. What reached the contract: the
harvest lots the genealogy finds behind the lots delivered under it (a member's cherry behind
the cooperative's green coffee), or the member's milk in the bulk lots delivered under it. Both
are counted in what the member produced (kg of cherry, kg of milk), so the gap is in the same
unit: what was sold elsewhere, lost, or is still in store.

Output that reached another contract of the same seller is not counted here: it was not sold
elsewhere. The households listed are those who supply the contract (something of theirs
reached it), or, when the cooperative buys its members' whole output, every member with
output in the period.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.contracts import pricing, services
from coopchain.contracts.models import ContractDelivery, LinkageContract
from coopchain.dairy.models import BulkLot, Delivery
from coopchain.parties.models import Member
from coopchain.trace import genealogy
from coopchain.trace.models import Event, Lot

HARVESTS = "harvests"
MILK = "milk"
# Below this share of members' output reaching the contract, the health line says so.
SIDE_SELLING_ALERT_PERCENT = 80


@dataclass
class MemberSupply:
    member: Member
    produced_kg: Decimal = Decimal(0)
    reached_kg: Decimal = Decimal(0)

    @property
    def gap_kg(self) -> Decimal:
        return max(self.produced_kg - self.reached_kg, Decimal(0))

    @property
    def percent(self) -> int | None:
        if not self.produced_kg:
            return None
        return pricing.whole_dong(self.reached_kg * 100 / self.produced_kg)


@dataclass
class SideSelling:
    source: str
    rows: list[MemberSupply] = field(default_factory=list)

    @property
    def produced_kg(self) -> Decimal:
        return sum((r.produced_kg for r in self.rows), Decimal(0))

    @property
    def reached_kg(self) -> Decimal:
        return sum((r.reached_kg for r in self.rows), Decimal(0))

    @property
    def percent(self) -> int | None:
        if not self.produced_kg:
            return None
        return pricing.whole_dong(self.reached_kg * 100 / self.produced_kg)


def _period_end(contract: LinkageContract) -> date:
    return min(contract.ends_on, timezone.localdate())


def side_selling(contract: LinkageContract) -> SideSelling:
    delivered = list(contract.deliveries.values_list("lot_id", flat=True))
    others = list(
        ContractDelivery.objects.filter(contract__seller=contract.seller)
        .exclude(contract=contract)
        .values_list("lot_id", flat=True)
    )
    if BulkLot.objects.filter(lot_id__in=delivered).exists():
        seen = _milk(contract, delivered, others)
    else:
        seen = _harvests(contract, delivered, others)
    if not contract.from_members:
        seen.rows = [r for r in seen.rows if r.reached_kg > 0]
    return seen


def _harvests(contract: LinkageContract, delivered: list[int], others: list[int]) -> SideSelling:
    behind = set(genealogy.backward(delivered).lots) if delivered else set()
    elsewhere = (set(genealogy.backward(others).lots) if others else set()) - behind
    withdrawn = Event.objects.filter(
        biz_step="commissioning", declared_erroneous_by__isnull=False
    ).values("event_objects__lot")
    lots = (
        Lot.objects.filter(organization=contract.seller, harvested_by__isnull=False)
        .filter(
            Q(pk__in=behind)
            | Q(
                harvest_started_on__gte=contract.starts_on,
                harvest_started_on__lte=_period_end(contract),
            )
        )
        .exclude(pk__in=withdrawn)
        .exclude(pk__in=elsewhere)
        .exclude(quantity__isnull=True)
        .select_related("harvested_by")
    )
    rows: dict[int, MemberSupply] = {}
    for lot in lots:
        row = rows.setdefault(lot.harvested_by_id, MemberSupply(lot.harvested_by))
        row.produced_kg += lot.quantity
        if lot.pk in behind:
            row.reached_kg += lot.quantity
    return SideSelling(HARVESTS, _ordered(rows))


def _milk(contract: LinkageContract, delivered: list[int], others: list[int]) -> SideSelling:
    milk = Delivery.objects.exclude(bulk_lot__lot_id__in=others).filter(
        organization=contract.seller,
        status=Delivery.Status.ACCEPTED,
        correction__isnull=True,
        collection_day__gte=contract.starts_on,
        collection_day__lte=_period_end(contract),
    )
    produced = milk.values("member_id").annotate(kg=Sum("quantity_kg"))
    reached = {
        r["member_id"]: r["kg"]
        for r in milk.filter(bulk_lot__lot_id__in=delivered)
        .values("member_id")
        .annotate(kg=Sum("quantity_kg"))
    }
    members = Member.objects.in_bulk([r["member_id"] for r in produced])
    rows = {
        r["member_id"]: MemberSupply(
            members[r["member_id"]], r["kg"], reached.get(r["member_id"], Decimal(0))
        )
        for r in produced
    }
    return SideSelling(MILK, _ordered(rows))


def _ordered(rows: dict[int, MemberSupply]) -> list[MemberSupply]:
    """The largest gap first: those are the households to talk to."""
    return sorted(rows.values(), key=lambda r: (-r.gap_kg, r.member.code))


def health_line(contract: LinkageContract, seen: SideSelling | None = None) -> str:
    """The contract's health in one line, with the share of the suppliers' output that reached
    it wherever that is known, and how much went elsewhere when that is much."""
    line = services.health(contract)
    if contract.status not in (LinkageContract.Status.SIGNED, LinkageContract.Status.ACTIVE):
        return line
    seen = seen or side_selling(contract)
    if seen.percent is None:
        return line
    if seen.percent < SIDE_SELLING_ALERT_PERCENT:
        return f"{line} " + _(
            "Only %(percent)s %% of what members produced reached the contract: "
            "%(kg)s kg went elsewhere."
        ) % {"percent": seen.percent, "kg": f"{seen.produced_kg - seen.reached_kg:,.0f}"}
    return f"{line} " + _("%(percent)s %% of what members produced reached the contract.") % {
        "percent": seen.percent
    }
