"""Reads shared by the contract pages and API."""

from typing import Any

from django.db.models import QuerySet, Sum

from coopchain.contracts.models import LedgerEntry, LinkageContract, PaymentRun
from coopchain.parties.models import Member
from coopchain.parties.tenancy import scope


def contracts(user: Any) -> QuerySet[LinkageContract]:
    """The contracts the user's organizations are party to, as buyer or as seller."""
    return scope(LinkageContract.objects.all(), user).select_related("buyer", "seller")


def balance(member: Member) -> int:
    """What the cooperative owes the member (positive) or the member owes it (negative)."""
    return LedgerEntry.objects.filter(member=member).aggregate(s=Sum("amount"))["s"] or 0


def passbook(member: Member) -> list[tuple[LedgerEntry, int]]:
    """The member's entries, oldest first, each with the balance after it."""
    running = 0
    rows = []
    for entry in LedgerEntry.objects.filter(member=member).order_by("on", "id"):
        running += entry.amount
        rows.append((entry, running))
    return rows


def payment_runs(user: Any) -> QuerySet[PaymentRun]:
    return scope(PaymentRun.objects.all(), user).select_related("organization")
