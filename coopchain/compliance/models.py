"""Certificates and their scope, evidence files, the internal control system's audits, and
the EUDR due-diligence records (land-use history, satellite risk results, statements).

What a lot may claim and where it may be sold is never stored: it is computed from the trace,
the certificates and these records every time it is asked (claims.py, readiness.py,
due_diligence.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.land.models import Crop, Plot
from coopchain.parties.models import Facility, Member, Organization
from coopchain.trace.models import Lot


class Standard(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    GLOBALGAP = "globalgap", "GLOBALG.A.P."
    ORGANIC_EU = "organic_eu", _("Organic, EU (Regulation (EU) 2018/848)")
    ORGANIC_USDA = "organic_usda", _("Organic, USDA (NOP)")
    ORGANIC_VN = "organic_vn", _("Organic, Viet Nam (TCVN 11041)")
    RAINFOREST = "rainforest", "Rainforest Alliance"
    FOUR_C = "4c", "4C"
    HACCP = "haccp", "HACCP"
    ISO_22000 = "iso22000", "ISO 22000"
    PLANTING_AREA = "planting_area", _("Planting-area code")
    PACKING_HOUSE = "packing_house", _("Packing-house code")
    OCOP = "ocop", _("OCOP")


class CertificateQuerySet(models.QuerySet):
    def in_force(self, on=None) -> "CertificateQuerySet":
        on = on or timezone.localdate()
        return self.filter(status=Certificate.Status.ACTIVE, valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class Certificate(models.Model):
    """A certificate held by a member, a group of plots, a cooperative or a facility, with
    the plots, products and facilities it covers."""

    class Holder(models.TextChoices):
        MEMBER = "member", _("Member household")
        PLOT_GROUP = "plot_group", _("Group of plots")
        COOPERATIVE = "cooperative", _("Cooperative")
        FACILITY = "facility", _("Facility")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn or revoked")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices)
    holder_kind = models.CharField(_("holder"), max_length=12, choices=Holder.choices)
    holder_member = models.ForeignKey(
        Member,
        verbose_name=_("member household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder_facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    group_name = models.CharField(_("group name"), max_length=200, blank=True)
    certifier = models.ForeignKey(
        Organization,
        verbose_name=_("certifier on the platform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_certificates",
        limit_choices_to={"kind": Organization.Kind.CERTIFIER},
    )
    certifier_name = models.CharField(_("certifier"), max_length=200)
    number = models.CharField(_("certificate number"), max_length=80)
    valid_from = models.DateField(_("valid from"))
    # Empty for codes that do not lapse (a planting-area code stands until revoked).
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    plots = models.ManyToManyField(
        Plot, through="CertificatePlot", related_name="certificates", blank=True
    )
    crops = models.ManyToManyField(
        Crop, verbose_name=_("products (crops)"), related_name="+", blank=True
    )
    facilities = models.ManyToManyField(
        Facility, verbose_name=_("facilities"), related_name="covering_certificates", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_note = models.CharField(_("reason for the status"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["valid_to", "standard", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "standard", "number"], name="certificate_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="certificate_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_standard_display()} {self.number}"

    @property
    def holder_label(self) -> str:
        if self.holder_kind == self.Holder.MEMBER and self.holder_member_id:
            return str(self.holder_member)
        if self.holder_kind == self.Holder.FACILITY and self.holder_facility_id:
            return str(self.holder_facility)
        if self.holder_kind == self.Holder.PLOT_GROUP:
            return self.group_name
        return str(self.organization)

    def valid_on(self, day) -> bool:
        return (
            self.status == self.Status.ACTIVE
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )


class CertificatePlot(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="plot_links"
    )
    plot = models.ForeignKey(Plot, on_delete=models.PROTECT, related_name="certificate_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "plot"], name="certificate_plot_once")
        ]

    def __str__(self) -> str:
        return f"{self.plot} in {self.certificate}"


class Checklist(models.Model):
    """A list of control points an audit works through, shipped as data (data/*.json)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    standard = models.CharField(_("standard"), max_length=20, choices=Standard.choices)
    source = models.CharField(_("source"), max_length=255)
    # False when the points could not be checked against the standard's full text.
    verified = models.BooleanField(_("checked against the full text"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ControlPoint(models.Model):
    class Level(models.TextChoices):
        MAJOR = "major", _("Must (major)")
        MINOR = "minor", _("Must (minor)")
        RECOMMENDED = "recommended", _("Recommended")

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="points")
    code = models.CharField(_("number"), max_length=20)
    section = models.CharField(_("section"), max_length=200)
    text = models.TextField(_("control point"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="control_point_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class Audit(models.Model):
    """An internal (or external) audit of one member household or one plot."""

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="audits")
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="audits"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
    )
    plot = models.ForeignKey(
        Plot,
        verbose_name=_("plot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    auditor_name = models.CharField(_("auditor"), max_length=120)
    audited_on = models.DateField(_("audit date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField(_("summary"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-audited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(plot__isnull=False),
                name="audit_has_a_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.subject_label} · {self.audited_on}"

    @property
    def subject_label(self) -> str:
        return str(self.plot) if self.plot_id else str(self.member)


class AuditAnswer(models.Model):
    class Result(models.TextChoices):
        COMPLIANT = "yes", _("Complies")
        NON_COMPLIANT = "no", _("Does not comply")
        NOT_APPLICABLE = "na", _("Not applicable")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    control_point = models.ForeignKey(ControlPoint, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=3, choices=Result.choices)
    note = models.TextField(_("what was seen"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["control_point__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "control_point"], name="answer_once_per_point")
        ]

    def __str__(self) -> str:
        return f"{self.control_point.code}: {self.result}"


class CorrectiveAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        VERIFIED = "verified", _("Verified")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    control_point = models.ForeignKey(
        ControlPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("what must be done"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class LandUseRecord(models.Model):
    """One step of a plot's declared land-use history (append-only: a wrong step is followed
    by a corrected one, never edited), the deforestation-free evidence of EUDR Art. 9(1)."""

    class Use(models.TextChoices):
        NATURAL_FOREST = "natural_forest", _("Natural forest")
        PLANTED_FOREST = "planted_forest", _("Planted forest")
        PERENNIAL_CROP = "perennial_crop", _("Perennial crop (coffee, pepper, fruit trees…)")
        ANNUAL_CROP = "annual_crop", _("Annual crop")
        PASTURE = "pasture", _("Pasture")
        FALLOW = "fallow", _("Fallow or shrubland")
        OTHER = "other", _("Other (built, water…)")

    class Source(models.TextChoices):
        MEMBER = "member", _("The household's declaration")
        LAND_CERTIFICATE = "land_certificate", _("Land-use right certificate (sổ đỏ)")
        COMMUNE = "commune", _("Confirmation of the commune's people's committee")
        IMAGERY = "imagery", _("Review of satellite or aerial images")
        FIELD_VISIT = "field_visit", _("Field visit")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plot = models.ForeignKey(Plot, on_delete=models.PROTECT, related_name="land_use_records")
    since = models.DateField(_("in this use since"))
    use = models.CharField(_("land use"), max_length=20, choices=Use.choices)
    # The change to this use cleared forest on part of the plot (an expansion into forest).
    cleared_forest = models.BooleanField(_("forest was cleared for it"), default=False)
    cleared_area_ha = models.DecimalField(
        _("area cleared (ha)"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    source = models.CharField(_("evidence"), max_length=20, choices=Source.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plot", "since", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.plot}: {self.use} since {self.since}"

    @property
    def is_forest(self) -> bool:
        return self.use == self.Use.NATURAL_FOREST


class RiskResult(models.Model):
    """A deforestation risk result for a plot from a satellite-based analysis, imported as
    data (CSV): no remote service is called from the platform."""

    class Level(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Needs review")
        HIGH = "high", _("High: forest loss after 2020")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plot = models.ForeignKey(Plot, on_delete=models.PROTECT, related_name="risk_results")
    level = models.CharField(_("risk"), max_length=6, choices=Level.choices)
    source = models.CharField(_("source"), max_length=200)
    assessed_on = models.DateField(_("assessed on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plot", "-assessed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plot", "source", "assessed_on"], name="risk_result_once_per_source_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plot}: {self.level} ({self.source}, {self.assessed_on})"


class Statement(models.Model):
    """A due-diligence statement's data as it was exported for a shipped lot: kept as
    written (statement JSON and geolocation files), since the plots may change later."""

    class Activity(models.TextChoices):
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        DOMESTIC = "domestic", _("Domestic production")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="eudr_statements",
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="eudr_statements")
    reference = models.CharField(_("internal reference"), max_length=40)
    activity = models.CharField(_("activity"), max_length=10, choices=Activity.choices)
    hs_code = models.CharField(_("HS code"), max_length=10)
    description = models.CharField(_("description of the goods"), max_length=255)
    net_mass_kg = models.DecimalField(_("net mass (kg)"), max_digits=14, decimal_places=3)
    upstream_references = models.JSONField(default=list, blank=True)
    data = models.JSONField()
    files = models.JSONField(default=list)  # the geolocation file(s), as their text
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="statement_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class EvidenceFile(models.Model):
    """A file that proves something: a certificate's scan, a photo taken during an audit, a
    land-use document. Its type and size are checked on upload (services.check_evidence)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    audit = models.ForeignKey(
        Audit, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    answer = models.ForeignKey(
        AuditAnswer, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    land_use = models.ForeignKey(
        LandUseRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
