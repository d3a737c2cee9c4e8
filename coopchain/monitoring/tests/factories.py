"""Reports for monitoring tests, submitted through the service like a cooperative would."""

from typing import Any

from coopchain.monitoring import services
from coopchain.monitoring.models import CooperativeReport
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import SYSTEM

# A report that scores full marks on every criterion that needs no previous report.
STRONG = {
    "revenue": 4_000_000_000,
    "cost": 3_500_000_000,
    "members": 60,
    "workers": 8,
    "average_member_income": 70_000_000,
    "charter_capital": 800_000_000,
    "loans": 100_000_000,
    "support_received": 0,
    "output_value": 5_000_000_000,
    "linkage_output_value": 3_000_000_000,
    "brand_registered": True,
    "traceability_in_use": True,
    "ocop_stars": 4,
}


def report(
    organization: Organization, year: int, half: int = 0, **figures: Any
) -> CooperativeReport:
    return services.submit_report(
        organization=organization,
        year=year,
        half=half,
        data=services.ReportData(**figures),
        by=SYSTEM,
    )


def strong(**overrides: Any) -> dict[str, Any]:
    return {**STRONG, **overrides}
