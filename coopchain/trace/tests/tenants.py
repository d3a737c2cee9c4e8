"""Trace records for the tenants of the route walk (coopchain/parties/tests/test_tenancy_routes.py):
each cooperative gets a product, a harvest lot made into a processed lot, and a recall."""

from typing import Any

from django.utils import timezone

from coopchain.trace.models import Recall
from coopchain.trace.tests import factories as f


def add_trace_records(tenant: Any) -> None:
    """Give `tenant` a trace product, lot and recall as attributes, and their text as markers."""
    organization = tenant.organization
    product = f.ProductFactory(organization=organization, name=f"Cà phê nhân {organization.name}")
    harvest = f.harvest(tenant.member, product=product, quantity=900)
    lot = f.process(organization, [harvest], product=product, quantity=880)
    recall = Recall.objects.create(
        organization=organization,
        lot=lot,
        reason=f"Nấm mốc ở kho {organization.name}",
        started_by=tenant.manager,
        started_at=timezone.now(),
    )
    recall.lots.set([lot])
    tenant.trace_product, tenant.trace_lot, tenant.recall = product, lot, recall
    tenant.markers.extend([product.name, harvest.lot_number, lot.lot_number, recall.reason])
