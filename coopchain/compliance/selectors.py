"""Reads of compliance records used by pages and the API."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from coopchain.compliance.models import Audit, Certificate, Statement
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import scope

# How far ahead the register warns of a certificate's expiry.
EXPIRY_WARNING_DAYS = 90


def certificates(user: Any, *, organization: Organization | None = None) -> QuerySet[Certificate]:
    found = scope(Certificate.objects.all(), user).select_related(
        "organization", "holder_member", "holder_facility", "certifier"
    )
    if organization is not None:
        found = found.filter(organization=organization)
    return found.prefetch_related("plots", "crops", "facilities", "evidence")


@dataclass
class Expiry:
    certificate: Certificate
    days_left: int | None

    @property
    def days_ago(self) -> int:
        return -(self.days_left or 0)

    @property
    def level(self) -> str:
        """expired, soon (within the warning window), valid, or lapsed (withdrawn, suspended)."""
        if self.certificate.status != Certificate.Status.ACTIVE:
            return "lapsed"
        if self.days_left is None:
            return "valid"
        if self.days_left < 0:
            return "expired"
        return "soon" if self.days_left <= EXPIRY_WARNING_DAYS else "valid"


def expiry_timeline(
    user: Any, *, organization: Organization, on: date | None = None
) -> list[Expiry]:
    """The organization's certificates by expiry date, soonest first, each with its days left."""
    on = on or timezone.localdate()
    rows = [
        Expiry(c, (c.valid_to - on).days if c.valid_to else None)
        for c in certificates(user, organization=organization)
    ]
    return sorted(rows, key=lambda e: (e.days_left is None, e.days_left or 0))


def expiring(
    user: Any, *, organization: Organization, within_days: int = EXPIRY_WARNING_DAYS
) -> list[Expiry]:
    return [e for e in expiry_timeline(user, organization=organization) if e.level == "soon"]


def audits(user: Any, *, organization: Organization) -> QuerySet[Audit]:
    return (
        scope(Audit.objects.all(), user)
        .filter(organization=organization)
        .select_related("checklist", "member", "plot")
    )


def statements(user: Any, *, organization: Organization) -> QuerySet[Statement]:
    return (
        scope(Statement.objects.all(), user).filter(organization=organization).select_related("lot")
    )


def recent_window(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
