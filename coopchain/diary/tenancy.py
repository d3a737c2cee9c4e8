"""Who sees which diary records, registered with the one scoping helper.

The cooperative's staff, managers and auditors see every household's diary; a farmer sees only
their own household's. Input products of the platform's shared catalogue are read by everyone
with a role; a cooperative's own products by that cooperative.
"""

from typing import Any

from django.db.models import Q

from coopchain.diary.models import (
    Activity,
    ActivityLine,
    ActivityPlot,
    InputProduct,
    InputProductPHI,
    LotEligibility,
)
from coopchain.errors import NotFound
from coopchain.land.tenancy import whole_cooperative_org_ids
from coopchain.parties.models import Member
from coopchain.parties.tenancy import Grants, grants_for, register, require_write


def _diary(grants: Grants, prefix: str = "") -> Q:
    return Q(**{f"{prefix}organization_id__in": whole_cooperative_org_ids(grants)}) | Q(
        **{f"{prefix}household_id__in": grants.farmer_member_ids}
    )


def _products(grants: Grants, prefix: str = "") -> Q:
    return Q(**{f"{prefix}organization__isnull": True}) | Q(
        **{f"{prefix}organization_id__in": grants.org_ids}
    )


def require_diary_write(user: Any, household: Member) -> None:
    """Refuse an entry in a household's diary by anyone but the household's own farmer or
    the cooperative's staff and managers."""
    grants = grants_for(user)
    if household.pk in grants.farmer_member_ids:
        return
    if household.organization_id not in whole_cooperative_org_ids(grants):
        raise NotFound(detail="No household matches.")
    require_write(user, household.organization)


register(InputProduct, _products)
register(InputProductPHI, lambda g: _products(g, "product__"))
register(Activity, _diary)
register(ActivityPlot, lambda g: _diary(g, "activity__"))
register(ActivityLine, lambda g: _diary(g, "activity__"))
register(LotEligibility, lambda g: _diary(g, "harvest__"))
