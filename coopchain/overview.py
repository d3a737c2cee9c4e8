"""What a cooperative's home page gathers from every app: its records at a glance and what
needs attention now. Read-only, through each app's own selectors (and so its tenancy)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from coopchain.compliance import selectors as compliance
from coopchain.dairy import selectors as dairy
from coopchain.diary import selectors as diary
from coopchain.land import selectors as land
from coopchain.parties import selectors as parties
from coopchain.parties.models import Organization
from coopchain.trace import selectors as trace

RECENT_DAYS = 30


@dataclass
class CooperativeOverview:
    active_members: int
    all_members: int
    facilities: int
    plots: int
    lots: int
    diary_findings: int
    expiring_certificates: list[Any] = field(default_factory=list)
    milk_attention: int = 0


def cooperative_overview(user: Any, organization: Organization) -> CooperativeOverview:
    today = timezone.localdate()
    members = parties.member_list(user, organization=organization)
    return CooperativeOverview(
        active_members=members.filter(is_member=True).count(),
        all_members=members.count(),
        facilities=parties.facility_list(user, organization=organization).count(),
        plots=land.plot_list(user, organization=organization).count(),
        lots=trace.lot_list(user, organization=organization).count(),
        diary_findings=len(
            diary.findings_list(
                user, organization=organization, date_from=today - timedelta(days=RECENT_DAYS)
            )
        ),
        expiring_certificates=compliance.expiring(user, organization=organization),
        milk_attention=len(dairy.needing_attention(user, organization=organization, days=7)),
    )
