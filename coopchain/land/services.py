"""Every write to plots, their crops and raw-material zones, with the rules they keep.

A plot's geometry is checked by `coopchain.lib.geometry` (shape, precision, location, area)
and here against the cooperative's other plots (overlap). A changed geometry keeps the old
one in the plot's history: plots are evidence in due-diligence statements.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely import STRtree

from coopchain.errors import Conflict, FieldError, InvalidInput, invalid
from coopchain.land import readers
from coopchain.land.findings import as_field_errors, reason, where
from coopchain.land.models import (
    Crop,
    Plot,
    PlotCrop,
    PlotGeometryHistory,
    RawMaterialZone,
    ZonePlot,
)
from coopchain.lib.geometry import (
    CheckedGeometry,
    Finding,
    Neighbour,
    check_geometry,
    overlap_findings,
    to_shape,
)
from coopchain.lib.text import normalise_name
from coopchain.parties.exchange import ImportReport
from coopchain.parties.models import AdminUnit, Member, Organization
from coopchain.parties.tenancy import require_write

# --- Plots ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlotData:
    """What a person gives for a plot; shared by the form, the API and imports. `geometry` is
    GeoJSON, as text or parsed (a geometry or a Feature)."""

    code: str
    member_code: str
    geometry: Any
    name: str = ""
    ward_code: str = ""
    declared_area_ha: Decimal | None = None
    planting_area_code: str = ""
    land_certificate_ref: str = ""
    status: str = Plot.Status.ACTIVE


def check_plot_fields(data: PlotData, *, row: int | None = None) -> list[FieldError]:
    """Every reason the plain fields (not the geometry) cannot be a plot."""
    errors: list[FieldError] = []

    def refuse(name: str, reason: str, value: Any) -> None:
        errors.append(FieldError(name, reason, value, row))

    code = data.code.strip()
    if not code:
        refuse("code", _("is required"), data.code)
    elif len(code) > 40:
        refuse("code", _("is longer than %(count)d characters") % {"count": 40}, data.code)
    if not data.member_code.strip():
        refuse("member_code", _("is required"), data.member_code)
    if len(data.name) > 120:
        refuse("name", _("is longer than %(count)d characters") % {"count": 120}, data.name)
    if (
        data.ward_code
        and not AdminUnit.objects.filter(code=data.ward_code, level=AdminUnit.Level.WARD).exists()
    ):
        refuse("ward_code", _("is not a commune/ward code"), data.ward_code)
    if data.declared_area_ha is not None and data.declared_area_ha <= 0:
        refuse("declared_area_ha", _("must be more than 0 ha"), str(data.declared_area_ha))
    elif data.declared_area_ha is not None and data.declared_area_ha >= Decimal("100000000"):
        refuse(
            "declared_area_ha", _("is not a plot's area in hectares"), str(data.declared_area_ha)
        )
    if len(data.planting_area_code) > 40:
        refuse("planting_area_code", _("is longer than %(count)d characters") % {"count": 40}, "")
    if len(data.land_certificate_ref) > 60:
        refuse("land_certificate_ref", _("is longer than %(count)d characters") % {"count": 60}, "")
    if data.status not in Plot.Status.values:
        refuse(
            "status",
            _("must be one of: %(values)s") % {"values": ", ".join(Plot.Status.values)},
            data.status,
        )
    return errors


def check_plot_geometry(
    *,
    organization: Organization,
    geometry: Any,
    declared_area_ha: Decimal | None = None,
    exclude: Plot | None = None,
) -> CheckedGeometry:
    """The geometry's own findings and, when it passes them, its overlaps with the
    cooperative's other farmed plots (a bounding-box query picks the candidates)."""
    checked = check_geometry(geometry, declared_area_ha=declared_area_ha)
    if not checked.ok:
        return checked
    min_lon, min_lat, max_lon, max_lat = checked.bbox
    candidates = (
        Plot.objects.filter(organization=organization)
        .active()
        .in_bbox(min_lon, min_lat, max_lon, max_lat)
        .only("code", "geometry")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    overlaps = overlap_findings(checked, [Neighbour(p.code, p.geometry) for p in candidates])
    return replace(checked, findings=checked.findings + tuple(overlaps))


def _member_of(organization: Organization, code: str) -> Member:
    member = Member.objects.filter(organization=organization, code=code.strip()).first()
    if member is None:
        raise invalid(
            "member_code", _("no member of this cooperative has code %(code)s") % {"code": code}
        )
    return member


def _ensure_cooperative(organization: Organization) -> None:
    if not organization.is_cooperative:
        raise invalid("organization", _("only a cooperative or cooperative group has plots"))


def _geometry_fields(checked: CheckedGeometry) -> dict[str, Any]:
    lon, lat = checked.centroid
    min_lon, min_lat, max_lon, max_lat = checked.bbox
    return {
        "geometry": checked.geometry,
        "shape": checked.kind,
        "area_ha": checked.area_ha,
        "centroid_lon": Decimal(f"{lon:.6f}"),
        "centroid_lat": Decimal(f"{lat:.6f}"),
        "bbox_min_lon": min_lon,
        "bbox_min_lat": min_lat,
        "bbox_max_lon": max_lon,
        "bbox_max_lat": max_lat,
        "geometry_findings": [f.as_dict() for f in checked.warnings],
    }


def _plain_fields(data: PlotData) -> dict[str, Any]:
    return {
        "name": normalise_name(data.name),
        "ward_id": data.ward_code or None,
        "declared_area_ha": data.declared_area_ha,
        "planting_area_code": data.planting_area_code.strip(),
        "land_certificate_ref": data.land_certificate_ref.strip(),
        "status": data.status,
    }


def _plot_data(plot: Plot) -> PlotData:
    return PlotData(
        code=plot.code,
        member_code=plot.member.code,
        geometry=plot.geometry,
        name=plot.name,
        ward_code=plot.ward_id or "",
        declared_area_ha=plot.declared_area_ha,
        planting_area_code=plot.planting_area_code,
        land_certificate_ref=plot.land_certificate_ref,
        status=plot.status,
    )


def _refuse_plot(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput(detail=_("The plot was not saved."), errors=errors)


@transaction.atomic
def create_plot(*, organization: Organization, data: PlotData, by: Any) -> Plot:
    require_write(by, organization)
    _ensure_cooperative(organization)
    errors = check_plot_fields(data)
    checked = check_plot_geometry(
        organization=organization, geometry=data.geometry, declared_area_ha=data.declared_area_ha
    )
    errors += as_field_errors(checked.errors)
    if errors:
        raise _refuse_plot(errors)
    member = _member_of(organization, data.member_code)
    code = data.code.strip()
    if Plot.objects.filter(organization=organization, code=code).exists():
        raise Conflict(
            detail=_("Plot code %(code)s is already used.") % {"code": code},
            errors=[FieldError("code", _("is already used"), code)],
        )
    fields = _plain_fields(data)
    fields["ward_id"] = fields["ward_id"] or member.ward_id
    return Plot.objects.create(
        organization=organization,
        member=member,
        code=code,
        **fields,
        **_geometry_fields(checked),
    )


@transaction.atomic
def update_plot(*, plot: Plot, data: PlotData, by: Any, note: str = "") -> Plot:
    """Change a plot. The code stays (it keys the plot in imports and statements); a new
    geometry moves the old one to the plot's history with `note` as the reason."""
    require_write(by, plot.organization)
    errors = [e for e in check_plot_fields(data) if e.field != "code"]
    checked = check_plot_geometry(
        organization=plot.organization,
        geometry=data.geometry,
        declared_area_ha=data.declared_area_ha,
        exclude=plot,
    )
    errors += as_field_errors(checked.errors)
    if errors:
        raise _refuse_plot(errors)
    if data.member_code.strip() != plot.member.code:
        plot.member = _member_of(plot.organization, data.member_code)
    fields = _plain_fields(data)
    fields["ward_id"] = fields["ward_id"] or plot.member.ward_id
    _apply(plot, fields, checked, by=by, note=note)
    return plot


def _apply(
    plot: Plot, fields: dict[str, Any], checked: CheckedGeometry, *, by: Any, note: str
) -> None:
    if checked.geometry != plot.geometry:
        _keep_history(plot, by=by, note=note)
    for name, value in {**fields, **_geometry_fields(checked)}.items():
        setattr(plot, name, value)
    plot.save()


def _keep_history(plot: Plot, *, by: Any, note: str) -> None:
    last = plot.geometry_history.order_by("-replaced_at", "-pk").first()
    PlotGeometryHistory.objects.create(
        organization_id=plot.organization_id,
        plot=plot,
        geometry=plot.geometry,
        area_ha=plot.area_ha,
        valid_from=last.replaced_at if last else plot.created_at,
        replaced_by=by if getattr(by, "is_authenticated", False) else None,
        note=note[:255],
    )


# --- Crops on a plot ------------------------------------------------------------------------


@transaction.atomic
def add_crop(
    *,
    plot: Plot,
    crop: Crop,
    by: Any,
    variety: str = "",
    planting_year: int | None = None,
    tree_count: int | None = None,
    area_share_pct: Decimal | None = None,
) -> PlotCrop:
    require_write(by, plot.organization)
    errors = _check_crop(plot, crop, planting_year, tree_count, area_share_pct)
    if errors:
        raise InvalidInput(detail=_("The crop was not added."), errors=errors)
    variety = normalise_name(variety)
    current = plot.crops.filter(ended_year__isnull=True, crop=crop, variety__iexact=variety)
    if current.exists():
        raise Conflict(
            detail=_("%(crop)s is already grown on this plot.") % {"crop": crop.label},
            errors=[FieldError("crop", _("is already grown on this plot"), crop.code)],
        )
    return PlotCrop.objects.create(
        organization_id=plot.organization_id,
        plot=plot,
        crop=crop,
        variety=variety,
        planting_year=planting_year,
        tree_count=tree_count,
        area_share_pct=area_share_pct,
    )


def _check_crop(
    plot: Plot,
    crop: Crop,
    planting_year: int | None,
    tree_count: int | None,
    area_share_pct: Decimal | None,
) -> list[FieldError]:
    errors = []
    this_year = timezone.localdate().year
    if planting_year is not None and not 1900 <= planting_year <= this_year:
        errors.append(FieldError("planting_year", _("is not a plausible year"), planting_year))
    if tree_count is not None and not crop.is_perennial:
        errors.append(
            FieldError("tree_count", _("is counted for perennial crops only"), tree_count)
        )
    elif tree_count is not None and tree_count < 1:
        errors.append(FieldError("tree_count", _("must be at least 1"), tree_count))
    if area_share_pct is not None:
        if not 0 < area_share_pct <= 100:
            errors.append(
                FieldError(
                    "area_share_pct", _("must be more than 0 and at most 100"), str(area_share_pct)
                )
            )
        else:
            taken = sum(
                (c.area_share_pct or 0 for c in plot.crops.filter(ended_year__isnull=True)),
                Decimal(0),
            )
            if taken + area_share_pct > 100:
                errors.append(
                    FieldError(
                        "area_share_pct",
                        _("with the crops already on the plot (%(taken)s %%) exceeds 100 %%")
                        % {"taken": f"{taken.normalize():f}"},
                        str(area_share_pct),
                    )
                )
    return errors


@transaction.atomic
def end_crop(*, plot_crop: PlotCrop, ended_year: int, by: Any) -> PlotCrop:
    """Record that a crop is no longer grown; the row stays for the diary's past entries."""
    require_write(by, plot_crop.plot.organization)
    if plot_crop.ended_year is not None:
        raise Conflict(detail=_("This crop has already ended."))
    earliest = plot_crop.planting_year or 1900
    if not earliest <= ended_year <= timezone.localdate().year:
        raise invalid("ended_year", _("is not a plausible year"), ended_year)
    plot_crop.ended_year = ended_year
    plot_crop.save(update_fields=["ended_year"])
    return plot_crop


# --- Raw-material zones ---------------------------------------------------------------------


@transaction.atomic
def create_zone(
    *,
    organization: Organization,
    code: str,
    name: str,
    by: Any,
    enterprise: Organization | None = None,
    crop: Crop | None = None,
    planting_area_code: str = "",
    description: str = "",
    plots: Iterable[Plot] = (),
) -> RawMaterialZone:
    require_write(by, organization)
    _ensure_cooperative(organization)
    errors = []
    if not code.strip():
        errors.append(FieldError("code", _("is required"), code))
    if not name.strip():
        errors.append(FieldError("name", _("is required"), name))
    if enterprise is not None and enterprise.kind != Organization.Kind.ENTERPRISE:
        errors.append(FieldError("enterprise", _("is not an enterprise"), enterprise.name))
    if errors:
        raise InvalidInput(detail=_("The zone was not saved."), errors=errors)
    if RawMaterialZone.objects.filter(organization=organization, code=code.strip()).exists():
        raise Conflict(
            detail=_("Zone code %(code)s is already used.") % {"code": code},
            errors=[FieldError("code", _("is already used"), code)],
        )
    zone = RawMaterialZone.objects.create(
        organization=organization,
        code=code.strip(),
        name=normalise_name(name),
        enterprise=enterprise,
        crop=crop,
        planting_area_code=planting_area_code.strip(),
        description=description.strip(),
    )
    _set_zone_plots(zone, plots)
    return zone


@transaction.atomic
def set_zone_plots(*, zone: RawMaterialZone, plots: Iterable[Plot], by: Any) -> RawMaterialZone:
    """Make the zone hold exactly `plots` (all of the zone's cooperative)."""
    require_write(by, zone.organization)
    _set_zone_plots(zone, plots)
    return zone


def _set_zone_plots(zone: RawMaterialZone, plots: Iterable[Plot]) -> None:
    plots = list(plots)
    foreign = [p.code for p in plots if p.organization_id != zone.organization_id]
    if foreign:
        raise invalid("plots", _("are not plots of this cooperative"), ", ".join(foreign))
    wanted = {p.pk for p in plots}
    ZonePlot.objects.filter(zone=zone).exclude(plot_id__in=wanted).delete()
    present = set(ZonePlot.objects.filter(zone=zone).values_list("plot_id", flat=True))
    ZonePlot.objects.bulk_create(
        [
            ZonePlot(organization_id=zone.organization_id, zone=zone, plot_id=pk)
            for pk in sorted(wanted - present)
        ]
    )


# --- Import and export ----------------------------------------------------------------------


@dataclass
class PlotImportReport(ImportReport):
    """The members import's report, counting plots. `unit` says what `row` counts in the
    errors: a feature, a placemark or a spreadsheet row."""

    kind: str = "plots"
    filename: str = ""
    dry_run: bool = False
    unit: str = "feature"

    @property
    def plots(self) -> int:
        return self.rows

    @plots.setter
    def plots(self, count: int) -> None:
        self.rows = count

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data["unit"] = self.unit
        data["plots"] = data.pop("rows")
        return data


@dataclass
class _Planned:
    entry: readers.Entry
    data: PlotData
    member: Member
    checked: CheckedGeometry
    record: Plot | None
    crop: Crop | None = None
    crop_fields: dict[str, Any] = field(default_factory=dict)


def import_plots(
    *, organization: Organization, file: IO[bytes], filename: str, dry_run: bool, by: Any
) -> PlotImportReport:
    """Create and update plots from a GeoJSON, KML/KMZ, .xlsx or .csv file; all or nothing.

    Plots are keyed by plot code within the cooperative, so importing the same file again
    changes nothing; a changed geometry keeps the old one in the plot's history. A dry run
    reports the same without writing.
    """
    require_write(by, organization)
    report = PlotImportReport(filename=filename, dry_run=dry_run)
    if not organization.is_cooperative:
        report.errors.append(
            FieldError("file", _("only a cooperative or cooperative group has plots"))
        )
        return report
    content = file.read(readers.MAX_BYTES + 1)
    try:
        plot_file = readers.read_plot_file(
            content if isinstance(content, bytes) else content.encode(), filename
        )
    except readers.FileRefused as refused:
        report.errors.append(FieldError("file", refused.reason))
        return report
    report.unit = plot_file.unit
    report.plots = len(plot_file.entries)
    with transaction.atomic():
        plan = _Importer(organization, report).plan(plot_file.entries)
        if report.errors:
            report.created = report.updated = report.unchanged = 0
        elif not dry_run:
            _write(plan, by=by)
    return report


class _Importer:
    def __init__(self, organization: Organization, report: PlotImportReport) -> None:
        self.organization = organization
        self.report = report
        self.members = {m.code: m for m in Member.objects.filter(organization=organization)}
        self.existing = {
            p.code: p
            for p in Plot.objects.filter(organization=organization)
            .select_related("member")
            .prefetch_related("crops")
        }
        self.crops = {}
        for crop in Crop.objects.all():
            for name in (crop.code, crop.name, crop.name_vi):
                self.crops[readers.key(name)] = crop
        self.wards = set(
            AdminUnit.objects.filter(level=AdminUnit.Level.WARD).values_list("code", flat=True)
        )
        self.codes: dict[str, int] = {}

    def plan(self, entries: Sequence[readers.Entry]) -> list[_Planned]:
        planned = [p for p in (self._read(entry) for entry in entries) if p is not None]
        self._overlaps(planned)
        for step in planned:
            if step.record is None:
                self.report.created += 1
            elif self._differs(step):
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        return planned

    def _refuse(self, entry: readers.Entry, name: str, reason: str, value: Any = None) -> None:
        self.report.errors.append(
            FieldError(entry.label(name), reason, _shown(value), entry.number)
        )

    def _read(self, entry: readers.Entry) -> _Planned | None:
        errors_before = len(self.report.errors)
        for name, problem, value in entry.problems:
            self.report.errors.append(FieldError(name, problem, _shown(value), entry.number))
        values = entry.values
        code = _text(values.get("plot_code"))
        member_code = _text(values.get("member_code"))
        record = self.existing.get(code)
        # Values the file leaves out keep the plot's own: a file of codes and shapes only
        # must not blank the names and areas typed on the plot pages.
        given: dict[str, Any] = {
            name: _text(values.get(name))
            for name in ("name", "planting_area_code", "land_certificate_ref", "status")
            if name in values
        }
        if "ward_code" in values:
            given["ward_code"] = _ward_code(values.get("ward_code"))
        if "declared_area_ha" in values:
            given["declared_area_ha"] = self._decimal(entry, "declared_area_ha")
        base = _plot_data(record) if record is not None else PlotData("", "", None)
        data = replace(base, **given, code=code, member_code=member_code, geometry=entry.geometry)
        for error in check_plot_fields(replace(data, ward_code=""), row=entry.number):
            # Code and member are reported below with the file's own words.
            if error.field not in ("code", "member_code"):
                self._refuse(entry, error.field, error.reason, error.value)
        if data.ward_code and data.ward_code not in self.wards:
            self._refuse(entry, "ward_code", _("is not a commune/ward code"), data.ward_code)
        if not code:
            self._refuse(entry, "plot_code", _("is required: each plot needs its code"), "")
        elif code in self.codes:
            self._refuse(
                entry,
                "plot_code",
                _("is used again: %(unit)s %(number)d has the same code")
                % {"unit": _unit_label(self.report.unit), "number": self.codes[code]},
                code,
            )
        else:
            self.codes[code] = entry.number
        member = self.members.get(member_code)
        if not member_code:
            self._refuse(entry, "member_code", _("is required: whose plot is it?"), "")
        elif member is None:
            self._refuse(
                entry,
                "member_code",
                _("no member of this cooperative has code %(code)s") % {"code": member_code},
                member_code,
            )
        elif record is not None and record.member_id != member.pk:
            self._refuse(
                entry,
                "member_code",
                _(
                    "plot %(code)s belongs to member %(owner)s: change its household on the "
                    "plot's page"
                )
                % {"code": code, "owner": record.member.code},
                member_code,
            )
        crop, crop_fields = self._crop(entry)
        checked = CheckedGeometry(findings=())
        if entry.geometry is not None:
            checked = check_geometry(entry.geometry, declared_area_ha=data.declared_area_ha)
            self._findings(entry, checked.findings)
        if len(self.report.errors) > errors_before or member is None:
            return None
        return _Planned(entry, data, member, checked, record, crop, crop_fields)

    def _findings(self, entry: readers.Entry, findings: Iterable[Finding]) -> None:
        for finding in findings:
            if finding.field == "declared_area_ha" or (
                not entry.geometry_paths and finding.code == "point_too_large"
            ):
                name = entry.label("declared_area_ha")
            elif entry.geometry_paths:
                name = where(finding, entry.geometry_label)
            else:
                name = entry.geometry_label
            error = FieldError(name, reason(finding), row=entry.number)
            (self.report.errors if finding.is_error else self.report.warnings).append(error)

    def _decimal(self, entry: readers.Entry, name: str) -> Decimal | None:
        value = entry.values.get(name)
        if value in (None, ""):
            return None
        number = readers.number_of(value)
        if number is None:
            self._refuse(entry, name, _("is not a number"), value)
        return number

    def _crop(self, entry: readers.Entry) -> tuple[Crop | None, dict[str, Any]]:
        values = entry.values
        name = _text(values.get("crop"))
        if not name:
            return None, {}
        crop = self.crops.get(readers.key(name))
        if crop is None:
            self._refuse(entry, "crop", _("is not a crop of the catalogue"), name)
            return None, {}
        fields: dict[str, Any] = {"variety": _text(values.get("variety"))}
        for field_name in ("planting_year", "tree_count"):
            raw = values.get(field_name)
            if raw in (None, ""):
                fields[field_name] = None
                continue
            number = readers.number_of(raw)
            if number is None or number != number.to_integral_value():
                self._refuse(entry, field_name, _("is not a whole number"), raw)
                continue
            fields[field_name] = int(number)
        year = fields.get("planting_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            self._refuse(entry, "planting_year", _("is not a plausible year"), year)
        if fields.get("tree_count") is not None and not crop.is_perennial:
            self._refuse(
                entry, "tree_count", _("is counted for perennial crops only"), fields["tree_count"]
            )
        return crop, fields

    def _overlaps(self, planned: list[_Planned]) -> None:
        """Overlaps with the cooperative's farmed plots and between the file's own plots,
        through one spatial index (an import holds thousands of plots)."""
        replaced = {step.data.code for step in planned}
        others: list[tuple[str, Any, int | None]] = [
            (p.code, p.geometry, None)
            for p in self.existing.values()
            if p.status == Plot.Status.ACTIVE and p.code not in replaced
        ]
        others += [(s.data.code, s.checked.geometry, i) for i, s in enumerate(planned)]
        shapes = [to_shape(geometry) for _code, geometry, _i in others]
        tree = STRtree(shapes)
        for index, step in enumerate(planned):
            near = tree.query(step.checked.shape)
            neighbours = []
            for j in near:
                code, geometry, file_index = others[int(j)]
                # Each pair within the file is reported once, on the later plot.
                if file_index is not None and file_index >= index:
                    continue
                neighbours.append(Neighbour(code, geometry))
            found = overlap_findings(step.checked, neighbours)
            self._findings(step.entry, found)

    def _differs(self, step: _Planned) -> bool:
        record = step.record
        fields = _plain_fields(step.data)
        fields["ward_id"] = fields["ward_id"] or record.ward_id
        changed = any(getattr(record, name) != value for name, value in fields.items())
        has_crop = step.crop is None or any(
            c.crop_id == step.crop.pk and c.ended_year is None for c in record.crops.all()
        )
        return changed or record.geometry != step.checked.geometry or not has_crop


def _write(plan: list[_Planned], *, by: Any) -> None:
    now = timezone.now()
    new = []
    for step in plan:
        fields = _plain_fields(step.data)
        if step.record is None:
            fields["ward_id"] = fields["ward_id"] or step.member.ward_id
            new.append(
                Plot(
                    organization_id=step.member.organization_id,
                    member=step.member,
                    code=step.data.code,
                    created_at=now,
                    updated_at=now,
                    **fields,
                    **_geometry_fields(step.checked),
                )
            )
        else:
            fields["ward_id"] = fields["ward_id"] or step.record.ward_id
            unchanged = not any(getattr(step.record, k) != v for k, v in fields.items())
            if not unchanged or step.record.geometry != step.checked.geometry:
                _apply(step.record, fields, step.checked, by=by, note=_("imported"))
    Plot.objects.bulk_create(new, batch_size=500)
    by_code = {p.code: p for p in new} | {s.record.code: s.record for s in plan if s.record}
    crops = []
    for step in plan:
        if step.crop is None:
            continue
        plot = by_code[step.data.code]
        if step.record is not None and any(
            c.crop_id == step.crop.pk and c.ended_year is None for c in step.record.crops.all()
        ):
            continue
        crops.append(
            PlotCrop(
                organization_id=plot.organization_id, plot=plot, crop=step.crop, **step.crop_fields
            )
        )
    PlotCrop.objects.bulk_create(crops, batch_size=500)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return normalise_name(str(value))


def _ward_code(value: Any) -> str:
    text = _text(value)
    if "·" in text:
        text = text.split("·")[0].strip()
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)[:80]


def _unit_label(unit: str) -> str:
    return {"feature": _("feature"), "placemark": _("placemark"), "row": _("row")}.get(unit, unit)


def export_plots_geojson(*, plots: Iterable[Plot]) -> dict[str, Any]:
    """A FeatureCollection of the plots (RFC 7946), with the properties an import reads back:
    importing it again changes nothing."""
    features = []
    for plot in plots:
        crops = [c.crop.code for c in plot.crops.all() if c.ended_year is None]
        features.append(
            {
                "type": "Feature",
                "geometry": plot.geometry,
                "properties": {
                    "plot_code": plot.code,
                    "member_code": plot.member.code,
                    "name": plot.name,
                    "ward_code": plot.ward_id or "",
                    "mapped_area_ha": float(plot.area_ha),
                    "declared_area_ha": (
                        float(plot.declared_area_ha) if plot.declared_area_ha is not None else None
                    ),
                    "planting_area_code": plot.planting_area_code,
                    "land_certificate_ref": plot.land_certificate_ref,
                    "status": plot.status,
                    "crops": crops,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def export_plots_geojson_text(*, plots: Iterable[Plot]) -> str:
    return json.dumps(export_plots_geojson(plots=plots), ensure_ascii=False)
