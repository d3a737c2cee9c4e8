"""Every write to compliance records, with the rules they keep: certificates and their scope,
evidence files, land-use history, imported risk results, audits and EUDR statements."""

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.compliance import due_diligence
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
    Standard,
    Statement,
)
from coopchain.errors import Conflict, FieldError, InvalidInput, invalid
from coopchain.land.models import Crop, Plot
from coopchain.lib import eudr
from coopchain.parties.models import Facility, Member, Organization
from coopchain.parties.tenancy import require_write
from coopchain.trace.models import Lot

# --- Evidence files -------------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# What a scan or a phone photo of a document is; judged by the file's first bytes, since the
# name and the browser's stated type can say anything.
EVIDENCE_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def evidence_type(upload: Upload) -> str | None:
    head = upload.content[:16]
    for content_type, signatures in EVIDENCE_TYPES.items():
        if any(head.startswith(s) for s in signatures):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            return content_type
    return None


def check_evidence(upload: Upload) -> list[FieldError]:
    errors = []
    if not upload.content:
        errors.append(FieldError("file", _("is empty"), upload.name))
    elif len(upload.content) > EVIDENCE_MAX_BYTES:
        errors.append(
            FieldError(
                "file",
                _("is %(size)s MB: an evidence file may be at most %(limit)s MB")
                % {
                    "size": f"{len(upload.content) / 1024 / 1024:.1f}",
                    "limit": EVIDENCE_MAX_BYTES // (1024 * 1024),
                },
                upload.name,
            )
        )
    elif evidence_type(upload) is None:
        errors.append(
            FieldError(
                "file",
                _("is not a PDF, JPEG, PNG or WebP file (a scan or a photo of the document)"),
                upload.name,
            )
        )
    return errors


@transaction.atomic
def add_evidence(
    *,
    organization: Organization,
    upload: Upload,
    by: Any,
    description: str = "",
    certificate: Certificate | None = None,
    audit: Audit | None = None,
    answer: AuditAnswer | None = None,
    land_use: LandUseRecord | None = None,
) -> EvidenceFile:
    require_write(by, organization)
    errors = check_evidence(upload)
    if errors:
        raise InvalidInput(detail=_("The file was not kept."), errors=errors)
    name = upload.name.rsplit("/", 1)[-1][:255] or "evidence"
    evidence = EvidenceFile(
        organization=organization,
        original_name=name,
        content_type=evidence_type(upload) or "",
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        description=description.strip()[:255],
        certificate=certificate,
        audit=audit,
        answer=answer,
        land_use=land_use,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    evidence.file.save(name, ContentFile(upload.content), save=False)
    evidence.save()
    return evidence


# --- Certificates ---------------------------------------------------------------------------

# Standards whose certificates name plots (production), and those naming facilities.
PLOT_STANDARDS = frozenset(
    {
        Standard.VIETGAP,
        Standard.GLOBALGAP,
        Standard.ORGANIC_EU,
        Standard.ORGANIC_USDA,
        Standard.ORGANIC_VN,
        Standard.RAINFOREST,
        Standard.FOUR_C,
        Standard.PLANTING_AREA,
    }
)
FACILITY_STANDARDS = frozenset({Standard.HACCP, Standard.ISO_22000, Standard.PACKING_HOUSE})


@dataclass(frozen=True)
class CertificateData:
    standard: str
    holder_kind: str
    number: str
    certifier_name: str
    valid_from: date
    valid_to: date | None = None
    holder_member_id: int | None = None
    holder_facility_id: int | None = None
    group_name: str = ""
    certifier_id: int | None = None
    ocop_stars: int | None = None
    plot_ids: tuple[int, ...] = ()
    crop_codes: tuple[str, ...] = ()
    facility_ids: tuple[int, ...] = ()


@dataclass
class _Scope:
    member: Member | None = None
    facility: Facility | None = None
    certifier: Organization | None = None
    plots: list[Plot] = field(default_factory=list)
    crops: list[Crop] = field(default_factory=list)
    facilities: list[Facility] = field(default_factory=list)


def _check_certificate(
    organization: Organization, data: CertificateData
) -> tuple[list[FieldError], _Scope]:
    errors: list[FieldError] = []
    scope = _Scope()

    def refuse(name: str, reason: str, value: Any = None) -> None:
        errors.append(FieldError(name, reason, value))

    if data.standard not in Standard.values:
        refuse("standard", _("is not a standard the platform knows"), data.standard)
    if data.holder_kind not in Certificate.Holder.values:
        refuse(
            "holder_kind", _("must be a member, a group of plots, the cooperative or a facility")
        )
    if not data.number.strip():
        refuse("number", _("is required"))
    elif len(data.number.strip()) > 80:
        refuse("number", _("is longer than %(count)d characters") % {"count": 80})
    if not data.certifier_name.strip() and data.certifier_id is None:
        refuse("certifier_name", _("is required: who issued it?"))
    if data.valid_to is not None and data.valid_to < data.valid_from:
        refuse("valid_to", _("is before the start of validity"), data.valid_to.isoformat())
    if data.standard == Standard.OCOP:
        if data.ocop_stars not in (3, 4, 5):
            refuse("ocop_stars", _("must be 3, 4 or 5 stars"), data.ocop_stars)
    elif data.ocop_stars is not None:
        refuse("ocop_stars", _("are given for OCOP certificates only"), data.ocop_stars)
    if data.holder_kind == Certificate.Holder.MEMBER:
        scope.member = Member.objects.filter(
            organization=organization, pk=data.holder_member_id or 0
        ).first()
        if scope.member is None:
            refuse(
                "holder_member_id",
                _("is not a member household of this cooperative"),
                data.holder_member_id,
            )
    if data.holder_kind == Certificate.Holder.FACILITY:
        scope.facility = Facility.objects.filter(
            organization=organization, pk=data.holder_facility_id or 0
        ).first()
        if scope.facility is None:
            refuse(
                "holder_facility_id",
                _("is not a facility of this organization"),
                data.holder_facility_id,
            )
    if data.holder_kind == Certificate.Holder.PLOT_GROUP and not data.group_name.strip():
        refuse("group_name", _("is required for a group of plots"))
    if data.certifier_id is not None:
        scope.certifier = Organization.objects.filter(
            pk=data.certifier_id, kind=Organization.Kind.CERTIFIER
        ).first()
        if scope.certifier is None:
            refuse("certifier_id", _("is not a certifier on the platform"), data.certifier_id)
    plot_ids = list(dict.fromkeys(data.plot_ids))
    scope.plots = list(Plot.objects.filter(organization=organization, pk__in=plot_ids))
    # Named by id only: the plot of another cooperative must not be described to this one.
    foreign = sorted(set(plot_ids) - {p.pk for p in scope.plots})
    if foreign:
        refuse(
            "plot_ids",
            _("plot(s) %(ids)s are not plots of this cooperative")
            % {"ids": ", ".join(str(i) for i in foreign)},
            ", ".join(str(i) for i in foreign),
        )
    if data.holder_kind == Certificate.Holder.PLOT_GROUP and not plot_ids:
        refuse("plot_ids", _("a group of plots needs its plots"))
    if scope.member is not None:
        others = [p.code for p in scope.plots if p.member_id != scope.member.pk]
        if others:
            refuse(
                "plot_ids",
                _("plots %(codes)s are not the holder household's") % {"codes": ", ".join(others)},
            )
    scope.crops = list(Crop.objects.filter(code__in=list(data.crop_codes)))
    unknown = sorted(set(data.crop_codes) - {c.code for c in scope.crops})
    if unknown:
        refuse("crop_codes", _("are not crops of the catalogue"), ", ".join(unknown))
    facility_ids = list(dict.fromkeys(data.facility_ids))
    scope.facilities = list(Facility.objects.filter(organization=organization, pk__in=facility_ids))
    foreign = sorted(set(facility_ids) - {f.pk for f in scope.facilities})
    if foreign:
        refuse(
            "facility_ids",
            _("facility(ies) %(ids)s are not this organization's")
            % {"ids": ", ".join(str(i) for i in foreign)},
        )
    return errors, scope


def _apply_certificate(certificate: Certificate, data: CertificateData, scope: _Scope) -> None:
    certificate.standard = data.standard
    certificate.holder_kind = data.holder_kind
    certificate.holder_member = scope.member
    certificate.holder_facility = scope.facility
    certificate.group_name = data.group_name.strip()
    certificate.certifier = scope.certifier
    certificate.certifier_name = data.certifier_name.strip() or (
        scope.certifier.name if scope.certifier else ""
    )
    certificate.number = data.number.strip()
    certificate.valid_from = data.valid_from
    certificate.valid_to = data.valid_to
    certificate.ocop_stars = data.ocop_stars
    certificate.save()
    CertificatePlot.objects.filter(certificate=certificate).exclude(plot__in=scope.plots).delete()
    have = set(certificate.plot_links.values_list("plot_id", flat=True))
    CertificatePlot.objects.bulk_create(
        CertificatePlot(
            organization_id=certificate.organization_id, certificate=certificate, plot=p
        )
        for p in scope.plots
        if p.pk not in have
    )
    certificate.crops.set(scope.crops)
    certificate.facilities.set(scope.facilities)


def _number_taken(organization: Organization, data: CertificateData, exclude: int | None) -> bool:
    taken = Certificate.objects.filter(
        organization=organization, standard=data.standard, number=data.number.strip()
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return taken.exists()


@transaction.atomic
def create_certificate(
    *, organization: Organization, data: CertificateData, by: Any
) -> Certificate:
    require_write(by, organization)
    errors, scope = _check_certificate(organization, data)
    if errors:
        raise InvalidInput(detail=_("The certificate was not saved."), errors=errors)
    if _number_taken(organization, data, None):
        raise Conflict(
            detail=_("Certificate %(number)s is already recorded.") % {"number": data.number},
            errors=[FieldError("number", _("is already recorded"), data.number)],
        )
    certificate = Certificate(
        organization=organization,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _apply_certificate(certificate, data, scope)
    return certificate


@transaction.atomic
def update_certificate(*, certificate: Certificate, data: CertificateData, by: Any) -> Certificate:
    require_write(by, certificate.organization)
    errors, scope = _check_certificate(certificate.organization, data)
    if errors:
        raise InvalidInput(detail=_("The certificate was not saved."), errors=errors)
    if _number_taken(certificate.organization, data, certificate.pk):
        raise Conflict(errors=[FieldError("number", _("is already recorded"), data.number)])
    _apply_certificate(certificate, data, scope)
    return certificate


@transaction.atomic
def change_certificate_status(
    *, certificate: Certificate, status: str, note: str, by: Any
) -> Certificate:
    """Suspend, withdraw or reinstate a certificate; a withdrawn one (a revoked planting-area
    code, say) claims nothing from then on."""
    require_write(by, certificate.organization)
    if status not in Certificate.Status.values:
        raise invalid("status", _("is not a certificate status"), status)
    if status != Certificate.Status.ACTIVE and not note.strip():
        raise invalid("note", _("give the reason (the certifier's decision)"))
    certificate.status = status
    certificate.status_note = note.strip()[:255]
    certificate.save(update_fields=["status", "status_note"])
    return certificate


# --- EUDR: land-use history, risk results, statements ---------------------------------------


@transaction.atomic
def record_land_use(
    *,
    plot: Plot,
    since: date,
    use: str,
    source: str,
    by: Any,
    cleared_forest: bool = False,
    cleared_area_ha: Decimal | None = None,
    note: str = "",
    evidence: Upload | None = None,
    evidence_description: str = "",
) -> LandUseRecord:
    """Add a step to a plot's declared land-use history (a correction is a later record),
    with the file that proves it if one is given: a refused file keeps the step unsaved."""
    require_write(by, plot.organization)
    errors = check_evidence(evidence) if evidence is not None else []
    if use not in LandUseRecord.Use.values:
        errors.append(FieldError("use", _("is not a land use"), use))
    if source not in LandUseRecord.Source.values:
        errors.append(FieldError("source", _("say where the information comes from"), source))
    if since > timezone.localdate():
        errors.append(FieldError("since", _("is in the future"), since.isoformat()))
    if cleared_area_ha is not None and not 0 < cleared_area_ha <= plot.area_ha:
        errors.append(
            FieldError(
                "cleared_area_ha",
                _("must be more than 0 and at most the plot's %(area)s ha")
                % {"area": f"{plot.area_ha.normalize():f}"},
                str(cleared_area_ha),
            )
        )
    if cleared_area_ha is not None and not cleared_forest:
        errors.append(FieldError("cleared_area_ha", _("is given only when forest was cleared")))
    if errors:
        raise InvalidInput(detail=_("The land-use record was not saved."), errors=errors)
    record = LandUseRecord.objects.create(
        organization_id=plot.organization_id,
        plot=plot,
        since=since,
        use=use,
        source=source,
        cleared_forest=cleared_forest,
        cleared_area_ha=cleared_area_ha,
        note=note.strip()[:255],
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if evidence is not None:
        add_evidence(
            organization=plot.organization,
            upload=evidence,
            description=evidence_description,
            land_use=record,
            by=by,
        )
    return record


RISK_COLUMNS = ("plot_code", "risk", "source", "assessed_on")
RISK_WORDS = {
    "low": RiskResult.Level.LOW,
    "thấp": RiskResult.Level.LOW,
    "medium": RiskResult.Level.MEDIUM,
    "review": RiskResult.Level.MEDIUM,
    "trung bình": RiskResult.Level.MEDIUM,
    "high": RiskResult.Level.HIGH,
    "cao": RiskResult.Level.HIGH,
}


@dataclass
class RiskImportReport:
    filename: str
    dry_run: bool
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FieldError] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors


def import_risk_results(
    *, organization: Organization, file: IO[bytes], filename: str, by: Any, dry_run: bool = False
) -> RiskImportReport:
    """Satellite-based deforestation risk per plot from a CSV (plot_code, risk, source,
    assessed_on[, note]); all rows or none, and importing the same file again changes
    nothing (a plot's result is keyed by source and date)."""
    require_write(by, organization)
    report = RiskImportReport(filename=filename, dry_run=dry_run)
    raw = file.read(5 * 1024 * 1024 + 1)
    if len(raw) > 5 * 1024 * 1024:
        report.errors.append(FieldError("file", _("is larger than 5 MB")))
        return report
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(FieldError("file", _("is not UTF-8 text (save it as CSV UTF-8)")))
        return report
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in RISK_COLUMNS if c not in header]
    if missing:
        report.errors.append(
            FieldError("file", _("has no column(s) %(names)s") % {"names": ", ".join(missing)})
        )
        return report
    plots = {p.code: p for p in Plot.objects.filter(organization=organization)}
    planned: list[RiskResult] = []
    for number, row in enumerate(reader, start=2):
        values = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        report.rows += 1
        plot = plots.get(values["plot_code"])
        level = RISK_WORDS.get(values["risk"].lower())
        try:
            assessed_on = date.fromisoformat(values["assessed_on"])
        except ValueError:
            assessed_on = None
        problems = []
        if plot is None:
            problems.append(
                ("plot_code", _("is not a plot of this cooperative"), values["plot_code"])
            )
        if level is None:
            problems.append(("risk", _("must be low, medium or high"), values["risk"]))
        if not values["source"]:
            problems.append(("source", _("is required: which analysis gave it?"), ""))
        if assessed_on is None:
            problems.append(("assessed_on", _("is not a date (YYYY-MM-DD)"), values["assessed_on"]))
        elif assessed_on > timezone.localdate():
            problems.append(("assessed_on", _("is in the future"), values["assessed_on"]))
        report.errors += [FieldError(n, r, v, number) for n, r, v in problems]
        if not problems:
            planned.append(
                RiskResult(
                    organization=organization,
                    plot=plot,
                    level=level,
                    source=values["source"][:200],
                    assessed_on=assessed_on,
                    note=values.get("note", "")[:255],
                    filename=filename[:255],
                    imported_by=by if getattr(by, "is_authenticated", False) else None,
                )
            )
    if report.errors:
        return report
    with transaction.atomic():
        for result in planned:
            existing = RiskResult.objects.filter(
                plot=result.plot, source=result.source, assessed_on=result.assessed_on
            ).first()
            if existing is None:
                report.added += 1
                if not dry_run:
                    result.save()
            elif (existing.level, existing.note) != (result.level, result.note):
                report.updated += 1
                if not dry_run:
                    existing.level, existing.note = result.level, result.note
                    existing.save(update_fields=["level", "note"])
            else:
                report.unchanged += 1
    return report


@dataclass(frozen=True)
class CommodityLine:
    """A further commodity shipped under the same statement: its HS code, its quantity, and
    its own geolocation set, traced back from its own lot."""

    lot: Lot
    hs_code: str
    description: str
    net_mass_kg: Decimal


@dataclass(frozen=True)
class StatementData:
    activity: str
    description: str
    net_mass_kg: Decimal
    hs_code: str = ""
    # Each {"referenceNumber": …, "verificationNumber": …} of a statement made upstream.
    upstream_references: tuple[dict[str, str], ...] = ()
    more: tuple[CommodityLine, ...] = ()


def _next_reference(operator: Organization) -> str:
    year = timezone.localdate().year
    count = Statement.objects.filter(
        organization=operator, reference__startswith=f"DDS-{year}-"
    ).count()
    return f"DDS-{year}-{count + 1:04d}"


def geojson_name(reference: str, part: int, parts: int, line: str = "") -> str:
    """`line` tells apart the files of each commodity of a statement that has several."""
    base = f"{reference}-{line}" if line else reference
    return f"{base}.geojson" if parts == 1 else f"{base}-{part}-of-{parts}.geojson"


def _check_lines(
    lines: list[CommodityLine],
) -> tuple[list[FieldError], list[tuple[CommodityLine, due_diligence.DueDiligence]]]:
    """Each commodity line checked on its own: its description, its quantity and every plot
    of origin of its lot. The first line is the statement's own fields, the others are
    named commodities[1], commodities[2]…"""
    errors: list[FieldError] = []
    checked = []
    seen: set[int] = set()
    for index, line in enumerate(lines):
        prefix = f"commodities[{index}]." if index else ""
        if not line.description.strip():
            errors.append(FieldError(f"{prefix}description", _("is required")))
        if line.net_mass_kg is None or line.net_mass_kg <= 0:
            errors.append(FieldError(f"{prefix}net_mass_kg", _("must be more than 0 kg")))
        if line.lot.pk in seen:
            errors.append(
                FieldError(f"{prefix}lot", _("is already a line of this statement"), line.lot.pk)
            )
            continue
        seen.add(line.lot.pk)
        result = due_diligence.check_lot(line.lot, hs_code=line.hs_code)
        errors += [
            FieldError(prefix + e.field, e.reason, e.value, e.row) for e in result.field_errors()
        ]
        checked.append((line, result))
    return errors, checked


@transaction.atomic
def prepare_statement(
    *, operator: Organization, lot: Lot, data: StatementData, by: Any
) -> Statement:
    """Check every plot of origin of `lot` (and of the lot of each further commodity in
    `data.more`) and keep the statement's data and geolocation file(s), one set per
    commodity. Refused, with every failing plot named, unless all pass: nothing is kept or
    exported half-way."""
    require_write(by, operator)
    errors = []
    if data.activity not in Statement.Activity.values:
        errors.append(
            FieldError("activity", _("must be export, import or domestic"), data.activity)
        )
    for index, reference in enumerate(data.upstream_references):
        if not str(reference.get("referenceNumber", "")).strip():
            errors.append(
                FieldError(f"upstream_references[{index}].referenceNumber", _("is required"))
            )
    lines = [
        CommodityLine(lot, data.hs_code, data.description, data.net_mass_kg),
        *data.more,
    ]
    line_errors, checked = _check_lines(lines)
    errors += line_errors
    if errors:
        raise InvalidInput(
            detail=_("Nothing was exported: %(count)d problem(s) must be solved first.")
            % {"count": len(errors)},
            errors=errors,
        )
    reference = _next_reference(operator)
    commodities, files = [], []
    for index, (line, result) in enumerate(checked, start=1):
        label = f"{index}-{eudr.hs_digits(result.hs_code)}" if len(checked) > 1 else ""
        parts = len(result.files)
        names = [geojson_name(reference, i, parts, label) for i in range(1, parts + 1)]
        files += [{"name": n, "text": t} for n, t in zip(names, result.files, strict=True)]
        commodities.append(
            due_diligence.Commodity(
                result=result,
                description=line.description.strip(),
                net_mass_kg=line.net_mass_kg,
                file_names=names,
            )
        )
    references = [
        {k: str(v).strip() for k, v in r.items() if k in ("referenceNumber", "verificationNumber")}
        for r in data.upstream_references
    ]
    return Statement.objects.create(
        organization=operator,
        lot=lot,
        reference=reference,
        activity=data.activity,
        hs_code=commodities[0].result.hs_code,
        description=data.description.strip()[:255],
        net_mass_kg=sum((c.net_mass_kg for c in commodities), Decimal(0)),
        upstream_references=references,
        data=due_diligence.statement_data(
            commodities,
            operator=operator,
            reference=reference,
            activity=data.activity,
            upstream_references=references,
        ),
        files=files,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


# --- Audits ---------------------------------------------------------------------------------


@transaction.atomic
def start_audit(
    *,
    organization: Organization,
    checklist: Checklist,
    audited_on: date,
    auditor_name: str,
    by: Any,
    member: Member | None = None,
    plot: Plot | None = None,
) -> Audit:
    require_write(by, organization)
    errors = []
    if member is None and plot is None:
        errors.append(FieldError("member", _("audit a member household or a plot")))
    if member is not None and member.organization_id != organization.pk:
        errors.append(FieldError("member", _("is not a member household of this cooperative")))
    if plot is not None and plot.organization_id != organization.pk:
        errors.append(FieldError("plot", _("is not a plot of this cooperative")))
    if plot is not None and member is not None and plot.member_id != member.pk:
        errors.append(FieldError("plot", _("is not the household's plot")))
    if audited_on > timezone.localdate():
        errors.append(FieldError("audited_on", _("is in the future"), audited_on.isoformat()))
    if not auditor_name.strip():
        errors.append(FieldError("auditor_name", _("is required")))
    if errors:
        raise InvalidInput(detail=_("The audit was not started."), errors=errors)
    return Audit.objects.create(
        organization=organization,
        checklist=checklist,
        member=member or (plot.member if plot else None),
        plot=plot,
        auditor=by if getattr(by, "is_authenticated", False) else None,
        auditor_name=auditor_name.strip()[:120],
        audited_on=audited_on,
    )


def _require_open(audit: Audit) -> None:
    if audit.status != Audit.Status.OPEN:
        raise Conflict(detail=_("The audit is closed: its answers stand as recorded."))


@transaction.atomic
def answer_control_point(
    *, audit: Audit, control_point: ControlPoint, result: str, by: Any, note: str = ""
) -> AuditAnswer:
    """Record (or, while the audit is open, change) the answer to one control point."""
    require_write(by, audit.organization)
    _require_open(audit)
    if control_point.checklist_id != audit.checklist_id:
        raise invalid("control_point", _("is not a point of this audit's checklist"))
    if result not in AuditAnswer.Result.values:
        raise invalid("result", _("must be yes, no or not applicable"), result)
    if result == AuditAnswer.Result.NON_COMPLIANT and not note.strip():
        raise invalid("note", _("say what was seen: a finding needs its evidence"))
    answer, _created = AuditAnswer.objects.update_or_create(
        audit=audit,
        control_point=control_point,
        defaults={
            "organization_id": audit.organization_id,
            "result": result,
            "note": note.strip(),
            "answered_by": by if getattr(by, "is_authenticated", False) else None,
            "answered_at": timezone.now(),
        },
    )
    return answer


@transaction.atomic
def add_corrective_action(
    *,
    audit: Audit,
    description: str,
    due_on: date,
    by: Any,
    control_point: ControlPoint | None = None,
) -> CorrectiveAction:
    require_write(by, audit.organization)
    if not description.strip():
        raise invalid("description", _("say what must be done"))
    if due_on < audit.audited_on:
        raise invalid("due_on", _("is before the audit"), due_on.isoformat())
    return CorrectiveAction.objects.create(
        organization_id=audit.organization_id,
        audit=audit,
        control_point=control_point,
        description=description.strip(),
        due_on=due_on,
    )


@transaction.atomic
def set_action_status(
    *, action: CorrectiveAction, status: str, by: Any, done_on: date | None = None, note: str = ""
) -> CorrectiveAction:
    require_write(by, action.audit.organization)
    if status not in CorrectiveAction.Status.values:
        raise invalid("status", _("is not a status of a corrective action"), status)
    if status != CorrectiveAction.Status.OPEN:
        done_on = done_on or timezone.localdate()
        if done_on > timezone.localdate():
            raise invalid("done_on", _("is in the future"), done_on.isoformat())
    action.status = status
    action.done_on = done_on if status != CorrectiveAction.Status.OPEN else None
    action.note = note.strip()[:255] or action.note
    action.save(update_fields=["status", "done_on", "note"])
    return action


@transaction.atomic
def close_audit(*, audit: Audit, by: Any, summary: str = "") -> Audit:
    """Close an audit once every control point is answered, and each point that does not
    comply has a corrective action."""
    require_write(by, audit.organization)
    _require_open(audit)
    answered = {a.control_point_id: a for a in audit.answers.all()}
    points = list(audit.checklist.points.all())
    missing = [p.code for p in points if p.pk not in answered]
    errors = []
    if missing:
        errors.append(
            FieldError(
                "answers",
                _("%(count)d control point(s) are not answered: %(codes)s")
                % {"count": len(missing), "codes": ", ".join(missing[:10])},
            )
        )
    acted = set(audit.actions.values_list("control_point_id", flat=True))
    unresolved = [
        p.code
        for p in points
        if p.pk in answered
        and answered[p.pk].result == AuditAnswer.Result.NON_COMPLIANT
        and p.pk not in acted
    ]
    if unresolved:
        errors.append(
            FieldError(
                "actions",
                _("findings without a corrective action: %(codes)s")
                % {"codes": ", ".join(unresolved)},
            )
        )
    if errors:
        raise InvalidInput(detail=_("The audit stays open."), errors=errors)
    audit.status = Audit.Status.CLOSED
    audit.summary = summary.strip()
    audit.closed_at = timezone.now()
    audit.save(update_fields=["status", "summary", "closed_at"])
    return audit


def parse_decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", ".")) if value not in (None, "") else None
    except InvalidOperation:
        return None


def plots_of(organization: Organization, ids: Iterable[int]) -> list[Plot]:
    return list(Plot.objects.filter(organization=organization, pk__in=list(ids)))
