"""Who sees which compliance records, registered with the one scoping helper.

Certificates are the cooperative's (or enterprise's) and also seen by the certifier that
issued them. Audits, evidence and land-use records are the cooperative's; a farmer sees the
audits of their own household and the records of their own plots. Checklists are reference
data every user may read.
"""

from django.db.models import Q

from coopchain.compliance.models import (
    Audit,
    AuditAnswer,
    Certificate,
    CertificatePlot,
    Checklist,
    ControlPoint,
    CorrectiveAction,
    EvidenceFile,
    LandUseRecord,
    RiskResult,
    Statement,
)
from coopchain.land.tenancy import whole_cooperative_org_ids
from coopchain.parties.tenancy import Grants, register


def _certificates(grants: Grants, prefix: str = "") -> Q:
    return Q(**{f"{prefix}organization_id__in": grants.org_ids}) | Q(
        **{f"{prefix}certifier_id__in": grants.org_ids}
    )


def _audits(grants: Grants, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}organization_id__in": whole_cooperative_org_ids(grants)})
        | Q(**{f"{prefix}member_id__in": grants.farmer_member_ids})
        | Q(**{f"{prefix}plot__member_id__in": grants.farmer_member_ids})
    )


def _plot_records(grants: Grants) -> Q:
    return Q(organization_id__in=whole_cooperative_org_ids(grants)) | Q(
        plot__member_id__in=grants.farmer_member_ids
    )


def _everyone(grants: Grants) -> Q:
    return Q()


register(Certificate, _certificates)
register(CertificatePlot, lambda g: _certificates(g, "certificate__"))
register(Checklist, _everyone)
register(ControlPoint, _everyone)
register(Audit, _audits)
register(AuditAnswer, lambda g: _audits(g, "audit__"))
register(CorrectiveAction, lambda g: _audits(g, "audit__"))
register(LandUseRecord, _plot_records)
register(RiskResult, _plot_records)
register(Statement, lambda g: Q(organization_id__in=whole_cooperative_org_ids(g)))
register(EvidenceFile, lambda g: Q(organization_id__in=whole_cooperative_org_ids(g)))
