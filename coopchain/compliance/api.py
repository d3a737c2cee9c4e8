"""Compliance over /api/v1/: certificates, a lot's claims, readiness and EUDR check,
due-diligence statements with their files, and audits."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Schema, UploadedFile

from coopchain.compliance import selectors, services
from coopchain.compliance.claims import lot_claims
from coopchain.compliance.due_diligence import check_lot, risk_row
from coopchain.compliance.models import (
    Audit,
    Certificate,
    ControlPoint,
    CorrectiveAction,
    LandUseRecord,
    Statement,
)
from coopchain.compliance.readiness import lot_readiness
from coopchain.errors import NotFound
from coopchain.land.models import Plot
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import get_scoped, scope
from coopchain.trace.selectors import access_lot

router = Router(tags=["compliance"])


class CertificateIn(Schema):
    standard: str
    holder_kind: str
    number: str
    certifier_name: str
    valid_from: date
    valid_to: date | None = None
    holder_member_id: int | None = None
    holder_facility_id: int | None = None
    group_name: str = ""
    ocop_stars: int | None = None
    plot_ids: list[int] = []
    crop_codes: list[str] = []
    facility_ids: list[int] = []


class CertificateOut(Schema):
    id: int
    organization_id: int
    standard: str
    holder_kind: str
    holder: str
    number: str
    certifier_name: str
    valid_from: date
    valid_to: date | None
    status: str
    days_left: int | None
    expiry: str
    plot_ids: list[int]


class CommodityIn(Schema):
    """A further commodity of the shipment, traced from its own lot."""

    lot_id: int
    hs_code: str
    description: str
    net_mass_kg: Decimal


class StatementIn(Schema):
    activity: str = "export"
    description: str
    net_mass_kg: Decimal
    hs_code: str = ""
    upstream_references: list[dict[str, str]] = []
    more: list[CommodityIn] = []


class CommodityOut(Schema):
    hs_code: str
    commodity: str
    description: str
    net_mass_kg: Decimal
    lot: str
    files: list[str]


class StatementOut(Schema):
    id: int
    reference: str
    lot_id: int
    activity: str
    hs_code: str
    net_mass_kg: Decimal
    files: list[str]
    commodities: list[CommodityOut]
    data: dict


class AnswerIn(Schema):
    control_point_id: int
    result: str
    note: str = ""


def _certificate_out(expiry: selectors.Expiry) -> dict:
    c = expiry.certificate
    return {
        "id": c.pk,
        "organization_id": c.organization_id,
        "standard": c.standard,
        "holder_kind": c.holder_kind,
        "holder": c.holder_label,
        "number": c.number,
        "certifier_name": c.certifier_name,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "status": c.status,
        "days_left": expiry.days_left,
        "expiry": expiry.level,
        "plot_ids": [p.pk for p in c.plots.all()],
    }


def _statement_out(statement: Statement) -> dict:
    return {
        "id": statement.pk,
        "reference": statement.reference,
        "lot_id": statement.lot_id,
        "activity": statement.activity,
        "hs_code": statement.hs_code,
        "net_mass_kg": statement.net_mass_kg,
        "files": [f["name"] for f in statement.files],
        "commodities": [
            {
                "hs_code": c["hsHeading"],
                "commodity": c["commodity"],
                "description": c["description"],
                "net_mass_kg": Decimal(str(c["netMassKg"])),
                "lot": c.get("lot", statement.data.get("lot", {})).get("identifier", ""),
                "files": c["geolocationFiles"],
            }
            for c in statement.data.get("commodities", [])
        ],
        "data": statement.data,
    }


@router.get(
    "/organizations/{organization_id}/certificates",
    response=list[CertificateOut],
    summary="An organization's certificates, soonest expiry first",
)
def list_certificates(request: HttpRequest, organization_id: int):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    return [
        _certificate_out(e)
        for e in selectors.expiry_timeline(request.user, organization=organization)
    ]


@router.post("/organizations/{organization_id}/certificates", response={201: CertificateOut})
def create_certificate(request: HttpRequest, organization_id: int, payload: CertificateIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    data = payload.dict()
    for name in ("plot_ids", "crop_codes", "facility_ids"):
        data[name] = tuple(data[name])
    certificate = services.create_certificate(
        organization=organization, data=services.CertificateData(**data), by=request.user
    )
    return 201, _certificate_out(selectors.Expiry(certificate, None))


@router.get("/certificates/{certificate_id}", response=CertificateOut)
def get_certificate(request: HttpRequest, certificate_id: int):
    certificate = get_scoped(selectors.certificates(request.user), request.user, pk=certificate_id)
    today = timezone.localdate()
    days = (certificate.valid_to - today).days if certificate.valid_to else None
    return _certificate_out(selectors.Expiry(certificate, days))


@router.put(
    "/certificates/{certificate_id}",
    response=CertificateOut,
    summary="Change a certificate: validity, scope, number, certifier",
)
def update_certificate(request: HttpRequest, certificate_id: int, payload: CertificateIn):
    certificate = get_scoped(selectors.certificates(request.user), request.user, pk=certificate_id)
    data = payload.dict()
    for name in ("plot_ids", "crop_codes", "facility_ids"):
        data[name] = tuple(data[name])
    certificate = services.update_certificate(
        certificate=certificate,
        data=services.CertificateData(**data, certifier_id=certificate.certifier_id),
        by=request.user,
    )
    return get_certificate(request, certificate.pk)


@router.get("/lots/{lot_id}/compliance", summary="A lot's certified claims and export readiness")
def lot_compliance(request: HttpRequest, lot_id: int):
    lot = access_lot(request.user, lot_id=lot_id)
    return {
        "lot": lot.epc,
        "claims": [
            {"standard": c.standard, "holds": c.holds, "reasons": c.reasons}
            for c in lot_claims(lot)
        ],
        "markets": [
            {
                "market": r.market,
                "ready": r.ready,
                "requirements": [
                    {
                        "rule": x.requirement.rule,
                        "label": str(x.requirement.label),
                        "basis": x.requirement.basis,
                        "status": x.status,
                        "reason": x.reason,
                    }
                    for x in r.results
                ],
            }
            for r in lot_readiness(lot)
        ],
    }


@router.get("/lots/{lot_id}/eudr", summary="Every plot of origin checked for an EUDR statement")
def lot_eudr(request: HttpRequest, lot_id: int):
    lot = access_lot(request.user, lot_id=lot_id)
    result = check_lot(lot)
    return {
        "lot": lot.epc,
        "hsCode": result.hs_code,
        "commodity": result.commodity,
        "ready": result.ready,
        "files": len(result.files),
        "errors": [e.as_dict() for e in result.field_errors()],
        "plots": [risk_row(p) for p in result.plots],
    }


@router.post("/lots/{lot_id}/eudr/statements", response={201: StatementOut})
def prepare_statement(
    request: HttpRequest, lot_id: int, organization_id: int, payload: StatementIn
):
    lot = access_lot(request.user, lot_id=lot_id)
    operator = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    statement = services.prepare_statement(
        operator=operator,
        lot=lot,
        data=services.StatementData(
            activity=payload.activity,
            description=payload.description,
            net_mass_kg=payload.net_mass_kg,
            hs_code=payload.hs_code,
            upstream_references=tuple(payload.upstream_references),
            more=tuple(
                services.CommodityLine(
                    lot=access_lot(request.user, lot_id=line.lot_id),
                    hs_code=line.hs_code,
                    description=line.description,
                    net_mass_kg=line.net_mass_kg,
                )
                for line in payload.more
            ),
        ),
        by=request.user,
    )
    return 201, _statement_out(statement)


@router.get("/statements/{statement_id}", response=StatementOut)
def get_statement(request: HttpRequest, statement_id: int):
    return _statement_out(get_scoped(Statement.objects.all(), request.user, pk=statement_id))


@router.get("/statements/{statement_id}/geojson", summary="One geolocation file (part 1, 2, …)")
def statement_geojson(request: HttpRequest, statement_id: int, part: int = 1):
    statement = get_scoped(Statement.objects.all(), request.user, pk=statement_id)
    if not 1 <= part <= len(statement.files):
        raise NotFound(detail="No such geolocation file.")
    return HttpResponse(statement.files[part - 1]["text"], content_type="application/geo+json")


@router.get("/audits/{audit_id}", summary="An audit with its answers and corrective actions")
def get_audit(request: HttpRequest, audit_id: int):
    audit = get_scoped(Audit.objects.select_related("checklist"), request.user, pk=audit_id)
    return {
        "id": audit.pk,
        "checklist": audit.checklist.code,
        "member_id": audit.member_id,
        "plot_id": audit.plot_id,
        "audited_on": audit.audited_on,
        "status": audit.status,
        "answers": [
            {"control_point": a.control_point.code, "result": a.result, "note": a.note}
            for a in audit.answers.select_related("control_point")
        ],
        "summary": audit.summary,
        "actions": [_action_out(a) for a in audit.actions.select_related("control_point")],
    }


def _action_out(action: CorrectiveAction) -> dict:
    return {
        "id": action.pk,
        "control_point": action.control_point.code if action.control_point else None,
        "description": action.description,
        "due_on": action.due_on,
        "status": action.status,
        "done_on": action.done_on,
        "note": action.note,
    }


@router.post("/audits/{audit_id}/answers", summary="Answer one control point")
def answer(request: HttpRequest, audit_id: int, payload: AnswerIn):
    audit = get_scoped(Audit.objects.all(), request.user, pk=audit_id)
    point = get_scoped(ControlPoint.objects.all(), request.user, pk=payload.control_point_id)
    saved = services.answer_control_point(
        audit=audit, control_point=point, result=payload.result, note=payload.note, by=request.user
    )
    return {"control_point": point.code, "result": saved.result}


class LandUseIn(Schema):
    since: date
    use: str
    source: str
    cleared_forest: bool = False
    cleared_area_ha: Decimal | None = None
    note: str = ""


class LandUseOut(Schema):
    id: int
    plot_id: int
    since: date
    use: str
    source: str
    cleared_forest: bool
    cleared_area_ha: Decimal | None
    note: str
    evidence: list[str]


def _land_use_out(record: LandUseRecord) -> dict:
    return {
        "id": record.pk,
        "plot_id": record.plot_id,
        "since": record.since,
        "use": record.use,
        "source": record.source,
        "cleared_forest": record.cleared_forest,
        "cleared_area_ha": record.cleared_area_ha,
        "note": record.note,
        "evidence": [e.original_name for e in record.evidence.all()],
    }


@router.get(
    "/plots/{plot_id}/land-use",
    response=list[LandUseOut],
    summary="A plot's declared land-use history, oldest step first",
)
def list_land_use(request: HttpRequest, plot_id: int):
    plot = get_scoped(Plot.objects.all(), request.user, pk=plot_id)
    records = scope(LandUseRecord.objects.filter(plot=plot), request.user).order_by(
        "since", "recorded_at", "pk"
    )
    return [_land_use_out(r) for r in records.prefetch_related("evidence")]


@router.post(
    "/plots/{plot_id}/land-use",
    response={201: LandUseOut},
    summary="Add a step to a plot's land-use history (a correction is a later step)",
)
def record_land_use(request: HttpRequest, plot_id: int, payload: LandUseIn):
    plot = get_scoped(Plot.objects.select_related("organization"), request.user, pk=plot_id)
    record = services.record_land_use(plot=plot, by=request.user, **payload.dict())
    return 201, _land_use_out(record)


class ActionIn(Schema):
    description: str
    due_on: date
    control_point_id: int | None = None


class ActionStatusIn(Schema):
    action_id: int
    status: str
    done_on: date | None = None
    note: str = ""


class CloseIn(Schema):
    summary: str = ""


@router.post("/audits/{audit_id}/actions", response={201: dict}, summary="Add a corrective action")
def add_action(request: HttpRequest, audit_id: int, payload: ActionIn):
    audit = get_scoped(Audit.objects.all(), request.user, pk=audit_id)
    point = None
    if payload.control_point_id is not None:
        point = get_scoped(
            ControlPoint.objects.filter(checklist_id=audit.checklist_id),
            request.user,
            pk=payload.control_point_id,
        )
    action = services.add_corrective_action(
        audit=audit,
        description=payload.description,
        due_on=payload.due_on,
        control_point=point,
        by=request.user,
    )
    return 201, _action_out(action)


@router.post(
    "/audits/{audit_id}/actions/status",
    response=dict,
    summary="Mark one of the audit's corrective actions open, done or verified",
)
def set_action_status(request: HttpRequest, audit_id: int, payload: ActionStatusIn):
    audit = get_scoped(Audit.objects.all(), request.user, pk=audit_id)
    action = get_scoped(
        CorrectiveAction.objects.filter(audit=audit), request.user, pk=payload.action_id
    )
    action = services.set_action_status(
        action=action,
        status=payload.status,
        done_on=payload.done_on,
        note=payload.note,
        by=request.user,
    )
    return _action_out(action)


@router.post(
    "/audits/{audit_id}/close",
    summary="Close the audit: every point answered, every finding with its corrective action",
)
def close_audit(request: HttpRequest, audit_id: int, payload: CloseIn):
    audit = get_scoped(Audit.objects.all(), request.user, pk=audit_id)
    services.close_audit(audit=audit, summary=payload.summary, by=request.user)
    return get_audit(request, audit.pk)


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    description: str


def _evidence(request: HttpRequest, file: UploadedFile, description: str, **attached) -> dict:
    organization = next(iter(attached.values())).organization
    evidence = services.add_evidence(
        organization=organization,
        upload=services.Upload(file.name or "", file.read(services.EVIDENCE_MAX_BYTES + 1)),
        description=description,
        by=request.user,
        **attached,
    )
    return {
        "id": evidence.pk,
        "name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "description": evidence.description,
    }


@router.post(
    "/certificates/{certificate_id}/evidence",
    response={201: EvidenceOut},
    summary="Attach a file (PDF, JPEG, PNG or WebP, at most 10 MB) to a certificate",
)
def certificate_evidence(
    request: HttpRequest,
    certificate_id: int,
    file: File[UploadedFile],
    description: Form[str] = "",
):
    certificate = get_scoped(Certificate.objects.all(), request.user, pk=certificate_id)
    return 201, _evidence(request, file, description, certificate=certificate)


@router.post(
    "/audits/{audit_id}/evidence",
    response={201: EvidenceOut},
    summary="Attach a file (PDF, JPEG, PNG or WebP, at most 10 MB) to an audit",
)
def audit_evidence(
    request: HttpRequest, audit_id: int, file: File[UploadedFile], description: Form[str] = ""
):
    audit = get_scoped(Audit.objects.all(), request.user, pk=audit_id)
    return 201, _evidence(request, file, description, audit=audit)
