"""Who sees which milk-collection records, registered with the one scoping helper.

The cooperative's staff, managers and collectors see every delivery, test, tank and bill of
the cooperative; a farmer sees their own household's deliveries, tests and bills; a
processor sees the bulk lots shipped to it. Rate charts are read by everyone in the
cooperative (farmers included: they are what the milk is paid by) and by the processor.
"""

from django.db.models import Q

from coopchain.dairy.models import (
    BulkLot,
    Deduction,
    Delivery,
    HerdRecord,
    LabTest,
    MilkBill,
    RateChart,
    TankReading,
)
from coopchain.parties.tenancy import Grants, register


def _household(grants: Grants, prefix: str = "") -> Q:
    return Q(**{f"{prefix}organization_id__in": grants.record_org_ids}) | Q(
        **{f"{prefix}member_id__in": grants.farmer_member_ids}
    )


register(Delivery, _household)
register(LabTest, _household)
register(Deduction, _household)
register(HerdRecord, _household)
register(MilkBill, _household)
register(TankReading, lambda g: Q(organization_id__in=g.record_org_ids))
register(
    BulkLot,
    lambda g: Q(organization_id__in=g.record_org_ids) | Q(processor_id__in=g.org_ids),
)
register(
    RateChart,
    lambda g: Q(organization_id__in=g.org_ids) | Q(processor_id__in=g.org_ids),
)
