"""Who sees which land records, registered with the one scoping helper.

Staff, managers, auditors and other roles of the cooperative see all its plots; a farmer sees
only their own household's. A zone is also seen by the enterprise it supplies.
"""

from django.db.models import Q

from coopchain.land.models import Plot, PlotCrop, PlotGeometryHistory, RawMaterialZone, ZonePlot
from coopchain.parties.models import Role
from coopchain.parties.tenancy import Grants, register


def whole_cooperative_org_ids(grants: Grants) -> frozenset[int]:
    """Organizations in which the user holds a role other than farmer."""
    return frozenset(r.organization_id for r in grants.roles if r.name != Role.Name.FARMER)


def _plots(grants: Grants, prefix: str = "") -> Q:
    return Q(**{f"{prefix}organization_id__in": whole_cooperative_org_ids(grants)}) | Q(
        **{f"{prefix}member_id__in": grants.farmer_member_ids}
    )


def _zones(grants: Grants, prefix: str = "") -> Q:
    return Q(**{f"{prefix}organization_id__in": grants.org_ids}) | Q(
        **{f"{prefix}enterprise_id__in": grants.org_ids}
    )


register(Plot, _plots)
register(PlotCrop, lambda g: _plots(g, "plot__"))
register(PlotGeometryHistory, lambda g: _plots(g, "plot__"))
register(RawMaterialZone, _zones)
register(ZonePlot, lambda g: _zones(g, "zone__"))
