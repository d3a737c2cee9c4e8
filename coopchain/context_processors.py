from typing import Any

from django.http import HttpRequest

from coopchain.dairy.models import Delivery, RateChart
from coopchain.parties.models import Organization, Role
from coopchain.parties.tenancy import RECORD_ROLES, grants_for


def roles(request: HttpRequest) -> dict[str, Any]:
    """The user's roles, and what the menu offers them (every page still checks for itself)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    grants = grants_for(user)
    cooperative_roles = {
        r.name
        for r in grants.roles
        if r.organization.kind != Organization.Kind.ENTERPRISE
        and r.organization.kind != Organization.Kind.AUTHORITY
    }
    enterprise = any(r.organization.kind == Organization.Kind.ENTERPRISE for r in grants.roles)
    cooperative_ids = {
        r.organization_id
        for r in grants.roles
        if r.organization.kind
        in (Organization.Kind.COOPERATIVE, Organization.Kind.COOPERATIVE_GROUP)
    }
    # Milk collection is offered where the cooperative collects milk (a rate chart or a delivery).
    collects_milk = bool(cooperative_ids) and (
        RateChart.objects.filter(organization_id__in=cooperative_ids).exists()
        or Delivery.objects.filter(organization_id__in=cooperative_ids).exists()
    )
    return {
        "my_roles": grants.roles,
        "menu": {
            "members": bool(cooperative_roles & RECORD_ROLES),
            "farm": bool(
                cooperative_roles & (RECORD_ROLES | {Role.Name.FARMER, Role.Name.AUDITOR})
            ),
            "milk": collects_milk,
            # A cooperative's rating and reports; the province dashboard for an officer.
            "monitoring": bool(cooperative_roles & {Role.Name.ADMIN, Role.Name.MANAGER})
            or any(r.name == Role.Name.OFFICER for r in grants.roles),
            "facilities": bool(cooperative_roles & RECORD_ROLES) or enterprise,
            "lots": bool(cooperative_roles & RECORD_ROLES) or enterprise,
            "compliance": bool(cooperative_roles & (RECORD_ROLES | {Role.Name.AUDITOR}))
            or enterprise,
        },
    }
