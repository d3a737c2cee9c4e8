"""Compliance objects of one tenant for the tenancy route walk (parties/tests/
test_tenancy_routes.py): made on first use and kept on the tenant."""

from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from coopchain.compliance import services
from coopchain.compliance.models import Certificate, Checklist, LandUseRecord, Standard
from coopchain.compliance.tests.support import make_plot
from coopchain.diary.harvests import plot_location_uri
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import issue_platform_lot_identifier


def compliance_objects(tenant: Any) -> SimpleNamespace:
    cached = getattr(tenant, "_compliance", None)
    if cached is not None:
        return cached
    organization, by = tenant.organization, tenant.manager
    plot = make_plot(
        # Apart for each tenant, and inside Viet Nam however high the database's ids have run.
        tenant.member,
        f"EUDR-{organization.pk}",
        by=by,
        lon=108.2 + (organization.pk % 50) * 0.01,
    )
    services.record_land_use(
        plot=plot,
        since=date(2010, 1, 1),
        use=LandUseRecord.Use.PERENNIAL_CROP,
        source=LandUseRecord.Source.MEMBER,
        by=by,
    )
    uri = issue_platform_lot_identifier()
    event = ledger.commissioning_event(
        item=ledger.Quantity(uri, Decimal("900")),
        event_time=timezone.make_aware(datetime.combine(date(2025, 11, 5), time(9))),
        location=plot_location_uri(plot),
        harvest_started_on=date(2025, 11, 5),
    )
    lot = ledger.record_event(
        organization=organization, event=event, harvested_by=tenant.member
    ).lots[uri]
    certificate = services.create_certificate(
        organization=organization,
        data=services.CertificateData(
            standard=Standard.FOUR_C,
            holder_kind=Certificate.Holder.COOPERATIVE,
            number=f"4C-{organization.pk}",
            certifier_name="An Tâm",
            valid_from=date(2024, 1, 1),
            valid_to=date(2027, 1, 1),
            plot_ids=(plot.pk,),
        ),
        by=by,
    )
    statement = services.prepare_statement(
        operator=organization,
        lot=lot,
        data=services.StatementData(
            activity="export", description="Robusta", net_mass_kg=Decimal("900"), hs_code="0901"
        ),
        by=by,
    )
    audit = services.start_audit(
        organization=organization,
        checklist=Checklist.objects.get(code="vietgap-crop-2017"),
        member=tenant.member,
        audited_on=date(2025, 10, 1),
        auditor_name="Kiểm soát viên",
        by=by,
    )
    tenant._compliance = SimpleNamespace(
        lot=lot, certificate=certificate, statement=statement, audit=audit
    )
    return tenant._compliance
