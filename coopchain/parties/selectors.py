"""Reads of parties used by pages, the API and exports."""

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from coopchain.lib.text import fold
from coopchain.parties.models import AdminUnit, Facility, Member, Membership, Organization, Role
from coopchain.parties.tenancy import grants_for, scope


def working_organizations(user: Any) -> list[Organization]:
    """Organizations whose own records the user works on, for the organization switcher."""
    grants = grants_for(user)
    seen: dict[int, Organization] = {}
    for role in grants.roles:
        seen.setdefault(role.organization_id, role.organization)
    return sorted(seen.values(), key=lambda o: o.name)


def member_list(
    user: Any,
    *,
    organization: Organization | None = None,
    search: str = "",
    status: str = "",
    ward_code: str = "",
) -> QuerySet[Member]:
    """Members the user may see, filtered as the members page and API offer.

    `status`: "active" (a member today), "left" (no open membership), or "" for both.
    """
    members = scope(Member.objects.all(), user)
    if organization is not None:
        members = members.filter(organization=organization)
    if search:
        members = members.search(search)
    if ward_code:
        members = members.filter(ward_id=ward_code)
    open_membership = Membership.objects.filter(member=OuterRef("pk"), left_on__isnull=True)
    members = members.annotate(is_member=Exists(open_membership))
    if status == "active":
        members = members.filter(is_member=True)
    elif status == "left":
        members = members.filter(is_member=False)
    return members.select_related("ward", "ward__province", "organization").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.order_by("joined_on"))
    )


def facility_list(
    user: Any, *, organization: Organization | None = None, kind: str = ""
) -> QuerySet[Facility]:
    facilities = scope(Facility.objects.all(), user).select_related("ward", "organization")
    if organization is not None:
        facilities = facilities.filter(organization=organization)
    if kind:
        facilities = facilities.filter(kind=kind)
    return facilities


def search_admin_units(
    text: str, *, level: str = "", province_code: str = "", limit: int = 20
) -> list[AdminUnit]:
    """Communes/wards or provinces by name, with or without diacritics ('dak lak' finds Đắk Lắk)."""
    units = AdminUnit.objects.select_related("province")
    if level:
        units = units.filter(level=level)
    if province_code:
        units = units.filter(Q(province_id=province_code) | Q(code=province_code))
    folded = fold(text)
    if folded:
        units = units.filter(search_name__contains=folded)
    return list(units.order_by("search_name")[:limit])


def province_summary(province_code: str, *, on: date | None = None) -> dict[str, Any]:
    """Counts an officer sees for their province: organizations by kind and status, members."""
    on = on or timezone.localdate()
    organizations = Organization.objects.filter(province_id=province_code)
    by_kind_status: dict[str, dict[str, int]] = {}
    for org in organizations.only("kind", "status"):
        by_kind_status.setdefault(org.kind, {}).setdefault(org.status, 0)
        by_kind_status[org.kind][org.status] += 1
    members = Member.objects.filter(organization__province_id=province_code).active(on)
    return {
        "organizations": organizations.count(),
        "by_kind_status": by_kind_status,
        "active_members": members.count(),
        "cooperatives": list(
            organizations.filter(
                kind__in=[Organization.Kind.COOPERATIVE, Organization.Kind.COOPERATIVE_GROUP]
            ).order_by("status", "name")
        ),
    }


def roles_of(user: Any) -> list[Role]:
    return list(grants_for(user).roles)
