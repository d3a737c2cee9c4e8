"""Who sees monitoring records: a cooperative its own, an officer those of their province."""

from django.db.models import Q

from coopchain.monitoring.models import (
    CooperativeReport,
    LinkageModel,
    SupportAllocation,
    SupportProgramme,
)
from coopchain.parties.tenancy import register

register(
    CooperativeReport,
    lambda g: (
        Q(organization_id__in=g.org_ids) | Q(organization__province_id__in=g.officer_province_codes)
    ),
)
register(
    LinkageModel,
    lambda g: Q(cooperative_id__in=g.org_ids) | Q(province_id__in=g.officer_province_codes),
)
register(SupportProgramme, lambda g: Q(province_id__in=g.officer_province_codes))
register(
    SupportAllocation,
    lambda g: (
        Q(beneficiary_id__in=g.org_ids) | Q(programme__province_id__in=g.officer_province_codes)
    ),
)
