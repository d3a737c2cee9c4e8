"""Milk records for the tenants of the route walk (coopchain/parties/tests/test_tenancy_routes.py):
each cooperative gets a rate chart, two deliveries at its centre, a bulk lot and a bill."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from coopchain.dairy import services
from coopchain.dairy.tests.factories import deliver, make_chart
from coopchain.parties.tenancy import SYSTEM


def add_dairy_records(tenant: Any) -> None:
    """Give `tenant` milk records, named on it as attributes, and their text as markers."""
    organization, member, centre = tenant.organization, tenant.member, tenant.facility
    day = timezone.localdate() - timedelta(days=3)
    tenant.rate_chart = make_chart(organization, name=f"Bảng giá sữa {organization.name}")
    tanked = deliver(member, centre, on=day, quantity="17.3")
    kept = deliver(member, centre, on=day, shift="evening", quantity="19.1")
    [bulk] = services.make_bulk_lots(
        organization=organization, tanks=[(centre, day, "morning")], by=SYSTEM
    )
    [bill] = services.generate_bills(organization=organization, start=day, end=day, by=SYSTEM)
    tenant.milk_delivery, tenant.bulk_lot, tenant.milk_bill = kept, bulk, bill
    tenant.markers.extend(
        [tanked.lot.epc, kept.lot.epc, bulk.lot.epc, f"Bảng giá sữa {organization.name}"]
    )
