"""Monitoring records for the tenants of the route walk
(coopchain/parties/tests/test_tenancy_routes.py): a linkage model led by the tenant's
cooperative, made when the walk first asks for it."""

from datetime import date
from typing import Any

from coopchain.monitoring import services
from coopchain.monitoring.models import LinkageModel
from coopchain.parties.models import AdminUnit


def linkage_model(tenant: Any) -> LinkageModel:
    organization = tenant.organization
    found = LinkageModel.objects.filter(cooperative=organization).first()
    if found is not None:
        return found
    ward = (
        organization.ward
        or AdminUnit.objects.filter(
            province_id=organization.province_id, level=AdminUnit.Level.WARD
        ).first()
    )
    model = services.register_linkage_model(
        ward=ward,
        name=f"Liên kết của {organization.name}",
        commodity="coffee",
        cooperative=organization,
        enterprise=None,
        started_on=date(2024, 1, 1),
    )
    tenant.markers.append(model.name)
    return model
