"""Figures a report need not ask for: the platform already holds them in its own records."""

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.monitoring.models import period_end, period_start
from coopchain.parties.models import Member, Organization

SOURCE_MEMBERS = "membership register"
SOURCE_TRACE = "traceability ledger"
SOURCE_MILK_BILLS = "milk bills"
SOURCE_CONTRACTS = "linkage contract deliveries"
SOURCE_ENTERED = "entered"

SOURCE_LABELS = {
    SOURCE_MEMBERS: _("membership register"),
    SOURCE_TRACE: _("traceability ledger"),
    SOURCE_MILK_BILLS: _("milk bills"),
    SOURCE_CONTRACTS: _("deliveries under linkage contracts"),
    SOURCE_ENTERED: _("entered by the cooperative"),
}


@dataclass(frozen=True)
class Prefilled:
    value: Any
    source: str


def prefill(organization: Organization, *, year: int, half: int) -> dict[str, Prefilled]:
    """The report's figures the platform can fill for the period, each with its source."""
    start, end = period_start(year, half), period_end(year, half)
    figures: dict[str, Prefilled] = {
        "members": Prefilled(
            Member.objects.filter(organization=organization).active(end).count(), SOURCE_MEMBERS
        )
    }
    # Apps are optional readers here: a platform without one simply prefills less.
    from coopchain.trace.models import Event

    tz = timezone.get_current_timezone()
    events = Event.objects.filter(
        organization=organization,
        event_time__gte=datetime.combine(start, time.min, tzinfo=tz),
        event_time__lte=datetime.combine(end, time.max, tzinfo=tz),
    )
    figures["traceability_in_use"] = Prefilled(events.exists(), SOURCE_TRACE)

    from coopchain.dairy.models import MilkBill

    bills = MilkBill.objects.filter(
        organization=organization, period_end__gte=start, period_end__lte=end
    )
    if bills.exists():
        total = bills.aggregate(total=Sum("gross"))["total"] or 0
        figures["revenue"] = Prefilled(total, SOURCE_MILK_BILLS)

    from coopchain.contracts.models import ContractDelivery

    delivered = ContractDelivery.objects.filter(
        contract__seller=organization, delivered_on__gte=start, delivered_on__lte=end
    )
    if delivered.exists():
        total = delivered.aggregate(total=Sum("amount"))["total"] or 0
        figures["linkage_output_value"] = Prefilled(total, SOURCE_CONTRACTS)
    return figures
