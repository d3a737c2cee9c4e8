"""Tenancy in one place: every queryset served to a user is scoped here.

A user sees rows of the organizations they hold a role in; a farmer sees their own household;
an officer sees the organizations of their province (and aggregates, computed elsewhere).
Anything outside the scope is "not found", never "forbidden", so existence does not leak.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from coopchain.errors import Forbidden, NotFound
from coopchain.parties.models import Facility, Member, Membership, Organization, Role

ModelT = TypeVar("ModelT", bound=models.Model)

# Roles that work on an organization's own records (members' personal data included).
RECORD_ROLES = frozenset({Role.Name.ADMIN, Role.Name.MANAGER, Role.Name.STAFF, Role.Name.COLLECTOR})
# Roles that may change an organization's records.
WRITE_ROLES = frozenset({Role.Name.ADMIN, Role.Name.MANAGER, Role.Name.STAFF})


@dataclass(frozen=True)
class Grants:
    """What one user's roles open to them, read once per request."""

    org_ids: frozenset[int]
    record_org_ids: frozenset[int]
    write_org_ids: frozenset[int]
    farmer_member_ids: frozenset[int]
    officer_province_codes: frozenset[str]
    roles: tuple[Role, ...]

    def role_names(self, organization_id: int) -> set[str]:
        return {r.name for r in self.roles if r.organization_id == organization_id}


NO_GRANTS = Grants(frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), ())


def grants_for(user: Any) -> Grants:
    if not getattr(user, "is_authenticated", False):
        return NO_GRANTS
    cached = getattr(user, "_coopchain_grants", None)
    if cached is not None:
        return cached
    roles = tuple(
        Role.objects.filter(user=user)
        .exclude(organization__status=Organization.Status.DISSOLVED)
        .select_related("organization", "organization__province")
    )
    grants = Grants(
        org_ids=frozenset(r.organization_id for r in roles),
        record_org_ids=frozenset(r.organization_id for r in roles if r.name in RECORD_ROLES),
        write_org_ids=frozenset(r.organization_id for r in roles if r.name in WRITE_ROLES),
        farmer_member_ids=frozenset(
            r.member_id for r in roles if r.name == Role.Name.FARMER and r.member_id
        ),
        officer_province_codes=frozenset(
            r.organization.province_id
            for r in roles
            if r.name == Role.Name.OFFICER and r.organization.province_id
        ),
        roles=roles,
    )
    user._coopchain_grants = grants
    return grants


Rule = Callable[[Grants], Q]
_RULES: dict[type[models.Model], Rule] = {}


def register(model: type[models.Model], rule: Rule) -> None:
    """Give a model a scoping rule other than "owned by one of the user's organizations"."""
    _RULES[model] = rule


def _owned_by_user_orgs(grants: Grants) -> Q:
    return Q(organization_id__in=grants.org_ids)


def scope(queryset: QuerySet[ModelT], user: Any) -> QuerySet[ModelT]:
    """The rows of `queryset` that `user` may see."""
    grants = grants_for(user)
    if not grants.roles:
        return queryset.none()
    rule = _RULES.get(queryset.model)
    if rule is None:
        if not any(f.name == "organization" for f in queryset.model._meta.fields):
            raise TypeError(f"{queryset.model.__name__} has no tenancy rule")
        rule = _owned_by_user_orgs
    return queryset.filter(rule(grants))


def get_scoped(queryset: QuerySet[ModelT], user: Any, **lookup: Any) -> ModelT:
    """One row the user may see, or NotFound (the same answer whether it exists or not)."""
    try:
        return scope(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(detail=f"No {queryset.model._meta.verbose_name} matches.") from None


class _Platform:
    """The platform itself as the actor of a write: demo data and data migrations, never a
    request. Services accept it wherever they take `by`."""

    is_authenticated = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Any = _Platform()


def require_write(user: Any, organization: Organization) -> None:
    """Refuse a change to an organization's records by a user who only reads them."""
    if user is SYSTEM:
        return
    grants = grants_for(user)
    if organization.pk not in grants.org_ids:
        raise NotFound(detail="No organization matches.")
    if organization.pk not in grants.write_org_ids:
        raise Forbidden(detail="Your role in this organization does not allow changes.")


def sees_personal_data(user: Any, member: Member) -> bool:
    """Full national ID and the like: only inside the member's own cooperative."""
    grants = grants_for(user)
    return member.organization_id in grants.record_org_ids or member.pk in grants.farmer_member_ids


register(
    Organization,
    lambda g: Q(pk__in=g.org_ids) | Q(province_id__in=g.officer_province_codes),
)
register(
    Member,
    lambda g: Q(organization_id__in=g.record_org_ids) | Q(pk__in=g.farmer_member_ids),
)
register(
    Membership,
    lambda g: (
        Q(member__organization_id__in=g.record_org_ids) | Q(member_id__in=g.farmer_member_ids)
    ),
)
register(Facility, _owned_by_user_orgs)
