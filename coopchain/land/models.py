"""Plots with their geometry, the crops on them, and raw-material zones.

A plot's geometry is kept as GeoJSON (RFC 7946: WGS 84, positions [longitude, latitude]) — the
form buyers and the EU information system read. Area, centroid and bounding box are computed
from it by `coopchain.lib.geometry` on every write and never typed; the bounding box lets the
overlap check pick candidates with a plain indexed query on any database.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coopchain.parties.models import AdminUnit, Member, Organization

# A declared area further than this from the mapped one is flagged on the plot.
DECLARED_AREA_TOLERANCE = Decimal("0.10")


class Crop(models.Model):
    """A catalogue entry shared by every cooperative (seeded by a data migration)."""

    class Category(models.TextChoices):
        PERENNIAL = "perennial", _("Perennial (trees, bushes)")
        ANNUAL = "annual", _("Annual or seasonal")
        PASTURE = "pasture", _("Pasture and fodder")

    class Commodity(models.TextChoices):
        """The commodities of EUDR Annex I; empty for crops it does not cover."""

        NONE = "", _("Not an EUDR commodity")
        CATTLE = "cattle", _("Cattle")
        COCOA = "cocoa", _("Cocoa")
        COFFEE = "coffee", _("Coffee")
        OIL_PALM = "oil_palm", _("Oil palm")
        RUBBER = "rubber", _("Rubber")
        SOYA = "soya", _("Soya")
        WOOD = "wood", _("Wood")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    # A hint for trade documents (HS 2022 heading of the usual product), not a classification.
    hs_heading = models.CharField(_("HS heading"), max_length=4, blank=True)
    eudr_commodity = models.CharField(
        _("EUDR commodity"), max_length=10, choices=Commodity.choices, blank=True
    )
    colour = models.CharField(_("map colour"), max_length=7, default="#607d8b")
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = get_language() or "vi"
        return self.name_vi if language.startswith("vi") else self.name

    @property
    def is_perennial(self) -> bool:
        return self.category == self.Category.PERENNIAL


class PlotQuerySet(models.QuerySet):
    def active(self) -> "PlotQuerySet":
        return self.filter(status=Plot.Status.ACTIVE)

    def in_bbox(
        self, min_lon: float, min_lat: float, max_lon: float, max_lat: float
    ) -> "PlotQuerySet":
        """Plots whose bounding box meets the given one: the cheap first pass of overlap."""
        return self.filter(
            bbox_min_lon__lte=max_lon,
            bbox_max_lon__gte=min_lon,
            bbox_min_lat__lte=max_lat,
            bbox_max_lat__gte=min_lat,
        )


class Plot(models.Model):
    """A mapped piece of land farmed by a member household."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Farmed")
        RETIRED = "retired", _("No longer farmed")

    class Shape(models.TextChoices):
        POINT = "Point", _("Point")
        POLYGON = "Polygon", _("Polygon")
        MULTIPOLYGON = "MultiPolygon", _("Several polygons")

    organization = models.ForeignKey(
        Organization, verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="plots"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member household"), on_delete=models.PROTECT, related_name="plots"
    )
    code = models.CharField(_("plot code"), max_length=40)
    name = models.CharField(_("name"), max_length=120, blank=True)
    ward = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune/ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.WARD},
    )
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    shape = models.CharField(_("shape"), max_length=12, choices=Shape.choices)
    # Geodesic area of the polygon(s); for a point, which has no area, the declared one.
    area_ha = models.DecimalField(_("area (ha)"), max_digits=12, decimal_places=4)
    declared_area_ha = models.DecimalField(
        _("declared area (ha)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    centroid_lat = models.DecimalField(max_digits=9, decimal_places=6)
    centroid_lon = models.DecimalField(max_digits=9, decimal_places=6)
    bbox_min_lon = models.FloatField()
    bbox_min_lat = models.FloatField()
    bbox_max_lon = models.FloatField()
    bbox_max_lat = models.FloatField()
    # Warnings found when the geometry was last written (errors are refused, never stored).
    geometry_findings = models.JSONField(default=list, blank=True)
    planting_area_code = models.CharField(
        _("planting-area code (mã số vùng trồng)"), max_length=40, blank=True
    )
    land_certificate_ref = models.CharField(
        _("land-use certificate (sổ đỏ) reference"), max_length=60, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlotQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="plot_code_unique")
        ]
        indexes = [
            models.Index(
                fields=["organization", "bbox_min_lon", "bbox_max_lon"], name="plot_bbox_lon"
            ),
            models.Index(fields=["organization", "member"], name="plot_member"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def is_point(self) -> bool:
        return self.shape == self.Shape.POINT

    @property
    def area_differs_from_declared(self) -> bool:
        if self.declared_area_ha is None or self.is_point or not self.area_ha:
            return False
        return abs(self.declared_area_ha - self.area_ha) > self.area_ha * DECLARED_AREA_TOLERANCE


class PlotGeometryHistory(models.Model):
    """A geometry a plot had before it was changed: plots are evidence (EUDR), so the shape a
    statement was made with must stay readable after the plot is redrawn."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plot = models.ForeignKey(Plot, on_delete=models.CASCADE, related_name="geometry_history")
    geometry = models.JSONField()
    area_ha = models.DecimalField(max_digits=12, decimal_places=4)
    valid_from = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("reason for the change"), max_length=255, blank=True)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name_plural = "plot geometry history"

    def __str__(self) -> str:
        return f"{self.plot} until {self.replaced_at:%Y-%m-%d}"


class PlotCrop(models.Model):
    """A crop grown on a plot. Ending it keeps the row: the diary's past entries name it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    plot = models.ForeignKey(Plot, on_delete=models.CASCADE, related_name="crops")
    crop = models.ForeignKey(
        Crop, verbose_name=_("crop"), on_delete=models.PROTECT, related_name="plantings"
    )
    variety = models.CharField(_("variety"), max_length=80, blank=True)
    planting_year = models.PositiveSmallIntegerField(_("planting year"), null=True, blank=True)
    tree_count = models.PositiveIntegerField(_("number of trees"), null=True, blank=True)
    area_share_pct = models.DecimalField(
        _("share of the plot (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    ended_year = models.PositiveSmallIntegerField(_("no longer grown since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ended_year", "crop__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_share_pct__isnull=True)
                | (Q(area_share_pct__gt=0) & Q(area_share_pct__lte=100)),
                name="plot_crop_share_is_a_percentage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.crop} on {self.plot}"

    @property
    def is_current(self) -> bool:
        return self.ended_year is None


class RawMaterialZone(models.Model):
    """A named set of a cooperative's plots supplying an enterprise (vùng nguyên liệu)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="raw_material_zones",
    )
    code = models.CharField(_("zone code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    enterprise = models.ForeignKey(
        Organization,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplying_zones",
    )
    crop = models.ForeignKey(
        Crop, verbose_name=_("crop"), null=True, blank=True, on_delete=models.PROTECT
    )
    planting_area_code = models.CharField(
        _("planting-area code (mã số vùng trồng)"), max_length=40, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    plots = models.ManyToManyField(Plot, through="ZonePlot", related_name="zones")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="zone_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ZonePlot(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(RawMaterialZone, on_delete=models.CASCADE, related_name="memberships")
    plot = models.ForeignKey(Plot, on_delete=models.CASCADE, related_name="zone_memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["zone", "plot"], name="zone_plot_unique")]

    def __str__(self) -> str:
        return f"{self.plot} in {self.zone}"
