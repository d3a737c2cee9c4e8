import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.lib.text import fold
from coopchain.parties.banks import BY_BIN, Bank


class AdminUnit(models.Model):
    """A province or a commune/ward of the two-tier administration in force since 1 July 2025."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        WARD = "ward", _("Commune/ward")

    code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(max_length=120)
    division_type = models.CharField(max_length=40)
    level = models.CharField(max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="wards"
    )
    search_name = models.CharField(max_length=120, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["level", "search_name"])]

    def __str__(self) -> str:
        if self.level == self.Level.WARD and self.province_id:
            return f"{self.name}, {self.province.name}"
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def province_unit(self) -> "AdminUnit":
        return self if self.level == self.Level.PROVINCE else self.province


class Organization(models.Model):
    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative (HTX)")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group (THT)")
        ENTERPRISE = "enterprise", _("Enterprise")
        AUTHORITY = "authority", _("Authority")
        CERTIFIER = "certifier", _("Certifier")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        DISSOLVED = "dissolved", _("Dissolved")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    ward = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune/ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.WARD},
    )
    # Kept with the ward's province, and set alone for a provincial authority.
    province = models.ForeignKey(
        AdminUnit,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.PROVINCE},
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    gln = models.CharField(_("GS1 GLN"), max_length=13, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    # Four eyes on money: when set, a payment run is approved by someone other than its preparer.
    payment_runs_need_second_person = models.BooleanField(
        _("a second person approves each payment run"), default=False
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="organization_tax_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)
        if self.ward_id and not self.province_id:
            self.province_id = self.ward.province_id
        super().save(*args, **kwargs)

    @property
    def is_cooperative(self) -> bool:
        return self.kind in (self.Kind.COOPERATIVE, self.Kind.COOPERATIVE_GROUP)


class OrganizationStatusChange(models.Model):
    """History of an organization's status: each change with the date it took effect."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=10, choices=Organization.Status.choices)
    effective_on = models.DateField()
    note = models.CharField(max_length=255, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.status} from {self.effective_on}"


class MemberQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> "MemberQuerySet":
        on = on or timezone.localdate()
        # One membership period must hold both conditions, so filter in a single call.
        return self.filter(
            Q(memberships__joined_on__lte=on)
            & (Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=on))
        ).distinct()

    def search(self, text: str) -> "MemberQuerySet":
        folded = fold(text)
        if not folded:
            return self
        return self.filter(
            Q(search_name__contains=folded) | Q(code__iexact=text.strip()) | Q(phone=text.strip())
        )


class Member(models.Model):
    """A member household of a cooperative."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    code = models.CharField(_("member code"), max_length=30)
    head_of_household = models.CharField(_("head of household"), max_length=120)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    ward = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune/ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.WARD},
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    national_id = models.CharField(_("national ID number"), max_length=12, blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    # Where payment runs pay the household; the BIN of coopchain.parties.banks.
    bank_bin = models.CharField(_("bank"), max_length=6, blank=True)
    bank_account = models.CharField(_("bank account number"), max_length=19, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=120, blank=True)
    public_consent = models.BooleanField(
        _("agrees to name and phone on public trace pages"), default=False
    )
    search_name = models.CharField(max_length=120, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["head_of_household", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="member_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.head_of_household} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.head_of_household)
        super().save(*args, **kwargs)

    @property
    def national_id_masked(self) -> str:
        if not self.national_id:
            return ""
        return "•" * (len(self.national_id) - 3) + self.national_id[-3:]

    @property
    def bank_account_masked(self) -> str:
        if not self.bank_account:
            return ""
        return "•" * (len(self.bank_account) - 3) + self.bank_account[-3:]

    @property
    def bank(self) -> "Bank | None":
        return BY_BIN.get(self.bank_bin)

    def current_membership(self) -> "Membership | None":
        return next((m for m in self.memberships.all() if m.left_on is None), None)


class Membership(models.Model):
    """One period of a household's membership; leaving and re-joining keep the history."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=255, blank=True)

    class Meta:
        ordering = ["joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(left_on__isnull=True), name="one_open_membership"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.joined_on} – {self.left_on or '…'}"


class Facility(models.Model):
    class Kind(models.TextChoices):
        COLLECTION_CENTRE = "collection_centre", _("Collection centre")
        WAREHOUSE = "warehouse", _("Warehouse")
        PROCESSING_PLANT = "processing_plant", _("Processing plant")
        PACKING_HOUSE = "packing_house", _("Packing house")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="facilities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("facility code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    ward = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune/ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.WARD},
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    packing_house_code = models.CharField(_("packing-house code"), max_length=40, blank=True)
    gln = models.CharField(_("GS1 GLN"), max_length=13, blank=True)
    # Issued once and never changed: EPCIS events name the facility by it for ever.
    location_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="facility_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def location_uri(self) -> str:
        """The facility's EPCIS read point / business location identifier."""
        if self.gln:
            return f"https://id.gs1.org/414/{self.gln}"
        return f"{settings.PUBLIC_BASE_URL}/loc/{self.location_uuid}"


class Role(models.Model):
    """A user's role in an organization. Officers are scoped to their authority's province."""

    class Name(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")
        COLLECTOR = "collector", _("Collector")
        FARMER = "farmer", _("Farmer")
        BUYER = "buyer", _("Buyer")
        AUDITOR = "auditor", _("Auditor")
        OFFICER = "officer", _("Officer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coop_roles"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("role"), max_length=10, choices=Name.choices)
    # A farmer's role is tied to their own household.
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="user_roles"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "name"], name="role_unique_per_org"
            ),
            models.CheckConstraint(
                condition=~Q(name="farmer") | Q(member__isnull=False),
                name="farmer_role_names_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_name_display()} · {self.organization}"
