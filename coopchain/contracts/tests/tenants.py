"""Contract records for the tenants of the route walk (coopchain/parties/tests/test_tenancy_routes.py):
each cooperative sells under a signed fixed-price contract to its own buyer and has delivered a
member's harvest lot against it, which its payment run owes the member."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coopchain.contracts import services
from coopchain.contracts.models import LinkageContract
from coopchain.contracts.tests.factories import make_contract
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import EnterpriseFactory
from coopchain.trace.tests import factories as trace


def add_contract_records(tenant: Any) -> None:
    """Give `tenant` a contract and a delivery as attributes, and their text as markers."""
    organization = tenant.organization
    # Enterprises are listed to every cooperative (as buyers to choose): the buyer's name is
    # no secret of the tenant's, so it is not a marker.
    buyer = EnterpriseFactory()
    contract = make_contract(
        buyer,
        organization,
        number=f"HĐLK-{organization.pk}",
        commodity=f"Nông sản của {organization.name}",
        price_kind=LinkageContract.PriceKind.FIXED,
        fixed_price=95000,
        floor_price=None,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=180),
        windows=[],
    )
    lot = trace.harvest(tenant.member, quantity=300)
    delivery = services.record_contract_delivery(
        contract=contract,
        lot=lot,
        quantity_kg=Decimal(300),
        delivered_on=timezone.localdate(),
        by=SYSTEM,
    )
    run = services.prepare_payment_run(
        organization=organization,
        period_start=timezone.localdate() - timedelta(days=30),
        period_end=timezone.localdate(),
        by=SYSTEM,
    )
    # Approved, so that its bank file and statements are there to be reached (or refused).
    run = services.approve_payment_run(run=run, by=SYSTEM)
    tenant.contract, tenant.contract_delivery, tenant.payment_run = contract, delivery, run
    tenant.markers.extend([contract.number, contract.commodity])
