"""The ledger: EPCIS 2.0 events, the objects they name, and the genealogy derived from them.

Only `coopchain.trace.services` writes these tables (DESIGN.md, principle 1). Events are never
edited or deleted: an error declaration is a new event that marks the one it corrects.

Genealogy is kept as edges between trace objects, "source went into target":
- TransformationEvent: every input -> every output;
- AggregationEvent ADD/OBSERVE: every child -> the parent (DELETE ends the edge, it stays
  in the history, because a recall must still reach what was once packed together).
Backward trace walks edges target -> source; forward trace walks source -> target.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from coopchain.parties.models import Member, Organization


class Product(models.Model):
    """A trade item a cooperative or enterprise makes or sells (green coffee, raw milk, …)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=200)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True, help_text=_("14 digits"))
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True)
    commodity = models.CharField(_("commodity"), max_length=40, blank=True)
    # UN/CEFACT Recommendation 20 codes: KGM kilogram, LTR litre, TNE tonne, H87 piece.
    unit = models.CharField(_("unit"), max_length=3, default="KGM")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gtin"], condition=~models.Q(gtin=""), name="product_gtin_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Lot(models.Model):
    """A trace object: a lot (LGTIN), an item (SGTIN), a logistic unit (SSCC) or a
    platform-issued lot. Every identifier an event names in its genealogy gets one row."""

    class Kind(models.TextChoices):
        LGTIN = "lgtin", _("Lot of a GS1 product")
        SGTIN = "sgtin", _("Serialised item")
        SSCC = "sscc", _("Logistic unit")
        GTIN = "gtin", _("Product class")
        PLATFORM = "platform", _("Lot with a CoopChain identifier")
        OTHER = "other", _("Other identifier")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RECALLED = "recalled", _("Recalled")

    # The organization that first named it in an event (its owner for tenancy).
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="lots")
    epc = models.CharField(_("identifier"), max_length=400, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    lot_number = models.CharField(_("lot number"), max_length=80, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=3, blank=True)
    # Where and by whom it was harvested, for harvest lots (set from their commissioning event).
    origin_location = models.CharField(max_length=400, blank=True)
    harvested_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="harvest_lots"
    )
    harvest_started_on = models.DateField(null=True, blank=True)
    harvest_ended_on = models.DateField(null=True, blank=True)
    published = models.BooleanField(_("public trace page"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.lot_number or self.epc


class CaptureJob(models.Model):
    """One EPCIS capture request (EPCIS 2.0 REST binding, /capture/{captureID})."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    errors = models.JSONField(default=list, blank=True)
    event_count = models.PositiveIntegerField(default=0)
    stored_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"capture {self.id} ({self.status})"


class Event(models.Model):
    """One EPCIS 2.0 event, stored as captured (every field, extensions included) plus the
    columns that queries filter on."""

    class Type(models.TextChoices):
        OBJECT = "ObjectEvent"
        AGGREGATION = "AggregationEvent"
        TRANSACTION = "TransactionEvent"
        TRANSFORMATION = "TransformationEvent"
        ASSOCIATION = "AssociationEvent"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="events")
    # Unique per organization together with is_error_declaration: an EPCIS error declaration
    # repeats the eventID of the event it corrects (EPCIS 2.0 section 7.4.1.4), and one
    # organization's IDs never block or reveal another's.
    event_id = models.CharField(max_length=400)
    is_error_declaration = models.BooleanField(default=False)
    event_type = models.CharField(max_length=20, choices=Type.choices)
    action = models.CharField(max_length=8, blank=True)
    biz_step = models.CharField(max_length=200, blank=True, db_index=True)
    disposition = models.CharField(max_length=200, blank=True)
    event_time = models.DateTimeField(db_index=True)
    event_time_zone_offset = models.CharField(max_length=6)
    record_time = models.DateTimeField(db_index=True)
    read_point = models.CharField(max_length=400, blank=True, db_index=True)
    biz_location = models.CharField(max_length=400, blank=True, db_index=True)
    # Joins the events of one transformation recorded in steps (inputs today, outputs later).
    transformation_id = models.CharField(max_length=400, blank=True)
    document = models.JSONField()
    capture_job = models.ForeignKey(
        CaptureJob, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    # Set when a later error declaration says this event was wrong; the row itself stays.
    declared_erroneous_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="declares_error_in"
    )

    class Meta:
        ordering = ["record_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "event_id", "is_error_declaration"],
                name="event_id_once_per_organization",
            )
        ]
        indexes = [
            models.Index(
                fields=["transformation_id"],
                condition=~models.Q(transformation_id=""),
                name="event_transformation_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class EventObject(models.Model):
    """Which identifiers an event names, and in what role: the index behind MATCH_* queries."""

    class Role(models.TextChoices):
        EPC = "epc"
        PARENT = "parent"
        CHILD = "child"
        INPUT = "input"
        OUTPUT = "output"
        EPC_CLASS = "epc_class"
        CHILD_CLASS = "child_class"
        INPUT_CLASS = "input_class"
        OUTPUT_CLASS = "output_class"

    # Not "objects": that name would hide the Event.objects manager.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_objects")
    epc = models.CharField(max_length=400)
    role = models.CharField(max_length=12, choices=Role.choices)
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    uom = models.CharField(max_length=3, blank=True)

    class Meta:
        indexes = [models.Index(fields=["epc", "role"]), models.Index(fields=["lot", "role"])]

    def __str__(self) -> str:
        return f"{self.role}: {self.epc}"


class GenealogyEdge(models.Model):
    """`source` went into `target` through `event` (see the module docstring)."""

    class Kind(models.TextChoices):
        TRANSFORMATION = "transformation"
        AGGREGATION = "aggregation"

    source = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="edges_out")
    target = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="edges_in")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="edges")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="ended_edges"
    )

    class Meta:
        indexes = [
            models.Index(fields=["target", "source"], name="genealogy_backward"),
            models.Index(fields=["source", "target"], name="genealogy_forward"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "event"], name="genealogy_edge_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} -> {self.target_id}"


class YieldFactor(models.Model):
    """How much of `output_product` one unit of `input_product` makes, as an organization
    measured it; mass balance falls back to the platform's reference table without one."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="yield_factors"
    )
    input_product = models.ForeignKey(
        Product, verbose_name=_("input product"), on_delete=models.CASCADE, related_name="+"
    )
    output_product = models.ForeignKey(
        Product, verbose_name=_("output product"), on_delete=models.CASCADE, related_name="+"
    )
    factor = models.DecimalField(_("yield"), max_digits=8, decimal_places=5)
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=6, decimal_places=4, help_text=_("e.g. 0.05 for 5 %")
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "input_product", "output_product"],
                name="yield_factor_once_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.input_product} -> {self.output_product}: {self.factor}"


class Recall(models.Model):
    """A recall started from one lot; `lots` holds every lot its forward trace reached then."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="recalls")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="recalls_started")
    reason = models.TextField(_("reason"))
    started_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    lots = models.ManyToManyField(Lot, related_name="recalls")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"recall of {self.lot} ({self.started_at:%Y-%m-%d})"
