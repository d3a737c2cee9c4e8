"""Diary records for the tenants of the route walk (coopchain/parties/tests/test_tenancy_routes.py):
each cooperative gets a plot, a spray, a harvest with its lot, and a product of its own."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from coopchain.diary.tests.factories import harvest, make_plot, make_product, spray


def add_diary_records(tenant: Any) -> None:
    """Give `tenant` diary records, named on it as attributes, and their text as markers."""
    organization, member = tenant.organization, tenant.member
    day = timezone.localdate() - timedelta(days=10)
    plot = make_plot(member, f"{member.code}-RAY", crop="coffee-robusta")
    product = make_product(
        f"Thuốc riêng {organization.name}",
        organization=organization,
        phi={"coffee-robusta": 7},
    )
    sprayed = spray(
        organization=organization,
        plot=plot,
        product=product,
        on=day,
        by=tenant.manager,
        notes=f"Phun rầy {organization.name}",
    )
    harvested = harvest(organization=organization, plot=plot, on=day, by=tenant.manager)
    tenant.diary_plot, tenant.diary_product = plot, product
    tenant.diary_entry, tenant.diary_harvest = sprayed, harvested
    tenant.markers.extend([plot.code, product.name, sprayed.notes, harvested.lot.epc])
