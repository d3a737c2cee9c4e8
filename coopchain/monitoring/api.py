"""Monitoring through /api/v1/monitoring/: reports, a cooperative's rating and warnings, and
the province's aggregates for its officers."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from coopchain.errors import NotFound
from coopchain.monitoring import selectors, services
from coopchain.monitoring.models import CooperativeReport
from coopchain.monitoring.schemas import ProvinceOut, ReportIn, ReportOut, StandingOut
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import get_scoped, grants_for, scope

router = Router(tags=["monitoring"])


def _cooperative(request: HttpRequest, organization_id: int) -> Organization:
    return get_scoped(
        Organization.objects.filter(kind__in=selectors.COOPERATIVE_KINDS),
        request.user,
        pk=organization_id,
    )


def report_out(report: CooperativeReport) -> dict[str, Any]:
    data = {name: getattr(report, name) for name in ReportOut.model_fields if hasattr(report, name)}
    data["period"] = report.period_label
    return data


def standing_out(standing: selectors.Standing) -> dict[str, Any]:
    rating = standing.rating
    return {
        "organization_id": standing.organization.pk,
        "name": standing.organization.name,
        "status": standing.organization.status,
        "grade": rating.grade,
        "grade_label": rating.label,
        "score": rating.score,
        "reason": rating.reason,
        "period": rating.report.period_label if rating.report else None,
        "scores": [
            {
                "criterion": s.criterion.code,
                "group": str(s.criterion.group),
                "label": str(s.criterion.label),
                "points": s.points,
                "max_points": s.criterion.max_points,
                "advice": str(s.criterion.advice) if s.gain else "",
            }
            for s in rating.scores
        ],
        "risk": standing.risk,
        "alerts": [a.__dict__ for a in standing.alerts],
    }


@router.get(
    "/monitoring/cooperatives/{organization_id}/reports",
    response=list[ReportOut],
    summary="Every version of a cooperative's reports",
)
def list_reports(request: HttpRequest, organization_id: int) -> list[dict[str, Any]]:
    organization = _cooperative(request, organization_id)
    return [report_out(r) for r in selectors.report_history(request.user, organization)]


@router.post(
    "/monitoring/cooperatives/{organization_id}/reports",
    response={201: ReportOut},
    summary="Submit a report (a correction is a new version)",
)
def submit_report(
    request: HttpRequest, organization_id: int, payload: ReportIn
) -> tuple[int, dict[str, Any]]:
    organization = _cooperative(request, organization_id)
    values = payload.dict()
    year, half = values.pop("year"), values.pop("half")
    report = services.submit_report(
        organization=organization,
        year=year,
        half=half,
        data=services.ReportData(**values),
        by=request.user,
    )
    return 201, report_out(report)


@router.get(
    "/monitoring/cooperatives/{organization_id}/standing",
    response=StandingOut,
    summary="A cooperative's rating, its criteria and its warnings",
)
def cooperative_standing(request: HttpRequest, organization_id: int) -> dict[str, Any]:
    organization = _cooperative(request, organization_id)
    reports = list(scope(CooperativeReport.objects.filter(organization=organization), request.user))
    return standing_out(selectors.standing(organization, reports))


@router.get(
    "/monitoring/province",
    response=ProvinceOut,
    summary="The province's targets, lagging communes, cooperatives at risk and support",
)
def province(request: HttpRequest, province_code: str = "") -> dict[str, Any]:
    """An officer gets the whole dashboard of their province; anyone else the public aggregates
    of their own organizations' province, without any cooperative named."""
    grants = grants_for(request.user)
    officer_codes = grants.officer_province_codes
    own_codes = set(
        Organization.objects.filter(pk__in=grants.org_ids, province__isnull=False).values_list(
            "province_id", flat=True
        )
    )
    code = province_code or min(officer_codes or own_codes or {""})
    if code not in officer_codes | own_codes:
        raise NotFound(detail=_("No province dashboard of yours matches."))
    full = code in officer_codes
    dashboard = selectors.province_dashboard(code)
    return {
        "province_code": code,
        "officer_view": full,
        "province": dashboard.province.name,
        "by_status": dashboard.by_status,
        "targets": [
            {
                "code": t.target.code,
                "title": t.target.title,
                "source": t.target.source,
                "target_percent": t.target.target_percent,
                "due_year": t.target.due_year,
                "value_percent": t.value,
                "met": t.met,
                "definition": t.definition,
            }
            for t in dashboard.targets
        ],
        "lagging_communes": [
            {
                "ward_code": c.ward.code,
                "ward": c.ward.name,
                "linkage_models": c.models,
                "active_cooperatives": c.cooperatives,
            }
            for c in dashboard.lagging_communes
        ],
        "at_risk": [standing_out(s) for s in dashboard.at_risk] if full else [],
        "support": [
            {
                "organization_id": s.organization.pk,
                "name": s.organization.name,
                "support_received": s.support_total,
            }
            for s in dashboard.support
            if full
        ],
    }
