"""Every write to organizations, members, facilities and roles, with its rules."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.errors import Conflict, FieldError, InvalidInput, invalid
from coopchain.lib.text import normalise_name
from coopchain.parties.banks import BY_BIN
from coopchain.parties.models import (
    AdminUnit,
    Facility,
    Member,
    Membership,
    Organization,
    OrganizationStatusChange,
    Role,
)
from coopchain.parties.tenancy import require_write

NATIONAL_ID = re.compile(r"^\d{12}$")
PHONE = re.compile(r"^\+?\d{9,12}$")
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
# Vietnamese banks number accounts with 6 to 19 digits (most use 9 to 14).
BANK_ACCOUNT = re.compile(r"^\d{6,19}$")


@dataclass(frozen=True)
class MemberData:
    """The fields a person types for a household; shared by the form, the API and imports."""

    code: str
    head_of_household: str
    joined_on: date
    gender: str = ""
    ethnicity: str = ""
    birth_year: int | None = None
    phone: str = ""
    ward_code: str = ""
    address: str = ""
    national_id: str = ""
    household_size: int | None = None
    public_consent: bool = False
    bank_bin: str = ""
    bank_account: str = ""
    bank_account_holder: str = ""


def clean_phone(raw: str) -> str:
    return re.sub(r"[\s.\-()]", "", raw or "")


def clean_bank_account(raw: str) -> str:
    """The digits of an account number as people write it, grouped by spaces, dots or dashes."""
    return re.sub(r"[\s.\-]", "", raw or "")


def check_member_data(data: MemberData, *, row: int | None = None) -> list[FieldError]:
    """Every reason the data cannot be a member record; empty when it can."""
    errors: list[FieldError] = []

    def refuse(field: str, reason: str, value: Any) -> None:
        errors.append(FieldError(field=field, reason=reason, value=value, row=row))

    if not data.code.strip():
        refuse("code", _("is required"), data.code)
    elif len(data.code.strip()) > 30:
        refuse("code", _("is longer than 30 characters"), data.code)
    if not data.head_of_household.strip():
        refuse("head_of_household", _("is required"), data.head_of_household)
    if data.gender and data.gender not in Member.Gender.values:
        refuse("gender", _("must be one of: female, male, other"), data.gender)
    phone = clean_phone(data.phone)
    if phone and not PHONE.match(phone):
        refuse("phone", _("is not a phone number (9 to 12 digits)"), data.phone)
    if data.national_id and not NATIONAL_ID.match(data.national_id.strip()):
        refuse("national_id", _("must be the 12 digits of a citizen ID card"), "…")
    if (
        data.ward_code
        and not AdminUnit.objects.filter(code=data.ward_code, level=AdminUnit.Level.WARD).exists()
    ):
        refuse("ward_code", _("is not a commune/ward code"), data.ward_code)
    if data.birth_year is not None and not 1900 <= data.birth_year <= timezone.localdate().year:
        refuse("birth_year", _("is not a plausible year"), data.birth_year)
    if data.joined_on > timezone.localdate():
        refuse("joined_on", _("is in the future"), data.joined_on.isoformat())
    errors.extend(check_bank_details(data, row=row))
    return errors


def check_bank_details(data: MemberData, *, row: int | None = None) -> list[FieldError]:
    """A bank and an account number go together; the holder's name is the head of household's
    unless given. The account number is personal data: a refusal does not repeat it."""
    errors: list[FieldError] = []
    account = clean_bank_account(data.bank_account)
    if data.bank_bin and data.bank_bin not in BY_BIN:
        errors.append(FieldError("bank_bin", _("is not a bank in the list"), data.bank_bin, row))
    if account and not BANK_ACCOUNT.match(account):
        errors.append(
            FieldError("bank_account", _("must be 6 to 19 digits"), "…", row),
        )
    if account and not data.bank_bin:
        errors.append(FieldError("bank_bin", _("is required with an account number"), "", row))
    if data.bank_bin and not account:
        errors.append(FieldError("bank_account", _("is required with a bank"), "", row))
    if len(data.bank_account_holder.strip()) > 120:
        errors.append(
            FieldError("bank_account_holder", _("is longer than 120 characters"), "…", row)
        )
    return errors


def member_fields(data: MemberData) -> dict[str, Any]:
    """The column values a member record takes from `data` (names and phone normalised)."""
    return {
        "head_of_household": normalise_name(data.head_of_household),
        "gender": data.gender,
        "ethnicity": normalise_name(data.ethnicity),
        "birth_year": data.birth_year,
        "phone": clean_phone(data.phone),
        "ward_id": data.ward_code or None,
        "address": normalise_name(data.address),
        "national_id": data.national_id.strip(),
        "household_size": data.household_size,
        "public_consent": data.public_consent,
        "bank_bin": data.bank_bin,
        "bank_account": clean_bank_account(data.bank_account),
        "bank_account_holder": normalise_name(data.bank_account_holder)
        or (normalise_name(data.head_of_household) if data.bank_account.strip() else ""),
    }


def _ensure_cooperative(organization: Organization) -> None:
    if not organization.is_cooperative:
        raise invalid("organization", _("only a cooperative or cooperative group has members"))


@transaction.atomic
def create_member(*, organization: Organization, data: MemberData, by: Any) -> Member:
    require_write(by, organization)
    _ensure_cooperative(organization)
    errors = check_member_data(data)
    if errors:
        raise InvalidInput(detail=_("The member was not saved."), errors=errors)
    code = data.code.strip()
    if Member.objects.filter(organization=organization, code=code).exists():
        raise Conflict(
            detail=_("Member code %(code)s is already used.") % {"code": code},
            errors=[FieldError("code", _("is already used"), code)],
        )
    member = Member.objects.create(organization=organization, code=code, **member_fields(data))
    Membership.objects.create(member=member, organization=organization, joined_on=data.joined_on)
    return member


@transaction.atomic
def update_member(*, member: Member, data: MemberData, by: Any) -> Member:
    """Change a household's details. The member code and membership dates have their own
    services: the code is the household's key in imports, the dates are history."""
    require_write(by, member.organization)
    errors = [e for e in check_member_data(data) if e.field not in ("code", "joined_on")]
    if errors:
        raise InvalidInput(detail=_("The member was not saved."), errors=errors)
    for name, value in member_fields(data).items():
        setattr(member, name, value)
    member.save()
    return member


@transaction.atomic
def set_bank_details(
    *, member: Member, bank_bin: str, bank_account: str, holder: str = "", by: Any
) -> Member:
    """Record where payment runs pay the household (all empty: paid in cash)."""
    require_write(by, member.organization)
    data = MemberData(
        code=member.code,
        head_of_household=member.head_of_household,
        joined_on=timezone.localdate(),
        bank_bin=bank_bin,
        bank_account=bank_account,
        bank_account_holder=holder,
    )
    errors = check_bank_details(data)
    if errors:
        raise InvalidInput(detail=_("The bank details were not saved."), errors=errors)
    fields = member_fields(data)
    for name in ("bank_bin", "bank_account", "bank_account_holder"):
        setattr(member, name, fields[name])
    member.save(update_fields=["bank_bin", "bank_account", "bank_account_holder", "updated_at"])
    return member


@transaction.atomic
def record_member_leaving(*, member: Member, left_on: date, reason: str, by: Any) -> Membership:
    require_write(by, member.organization)
    membership = member.memberships.filter(left_on__isnull=True).first()
    if membership is None:
        raise Conflict(detail=_("This household is not a member now."))
    if left_on < membership.joined_on:
        raise invalid("left_on", _("is before the household joined"), left_on.isoformat())
    membership.left_on = left_on
    membership.leave_reason = reason
    membership.save(update_fields=["left_on", "leave_reason"])
    return membership


@transaction.atomic
def record_member_rejoining(*, member: Member, joined_on: date, by: Any) -> Membership:
    require_write(by, member.organization)
    if member.memberships.filter(left_on__isnull=True).exists():
        raise Conflict(detail=_("This household is a member already."))
    last = member.memberships.order_by("-joined_on").first()
    if last is not None and last.left_on and joined_on < last.left_on:
        raise invalid("joined_on", _("is before the household last left"), joined_on.isoformat())
    return Membership.objects.create(
        member=member, organization=member.organization, joined_on=joined_on
    )


@dataclass(frozen=True)
class FacilityData:
    code: str
    name: str
    kind: str
    ward_code: str = ""
    address: str = ""
    latitude: Any = None
    longitude: Any = None
    packing_house_code: str = ""
    gln: str = ""


def check_facility_data(data: FacilityData, *, row: int | None = None) -> list[FieldError]:
    errors: list[FieldError] = []

    def refuse(field: str, reason: str, value: Any) -> None:
        errors.append(FieldError(field=field, reason=reason, value=value, row=row))

    if not data.code.strip():
        refuse("code", _("is required"), data.code)
    if not data.name.strip():
        refuse("name", _("is required"), data.name)
    if data.kind not in Facility.Kind.values:
        refuse(
            "kind",
            _("must be one of: %(kinds)s") % {"kinds": ", ".join(Facility.Kind.values)},
            data.kind,
        )
    if (
        data.ward_code
        and not AdminUnit.objects.filter(code=data.ward_code, level=AdminUnit.Level.WARD).exists()
    ):
        refuse("ward_code", _("is not a commune/ward code"), data.ward_code)
    if data.latitude is not None and not (8 <= float(data.latitude) <= 24):
        refuse("latitude", _("is outside Viet Nam (8° to 24° N)"), str(data.latitude))
    if data.longitude is not None and not (102 <= float(data.longitude) <= 110):
        refuse("longitude", _("is outside Viet Nam (102° to 110° E)"), str(data.longitude))
    if data.gln and not _valid_gln(data.gln):
        refuse("gln", _("is not a valid 13-digit GLN"), data.gln)
    if data.kind == Facility.Kind.PACKING_HOUSE and not data.packing_house_code.strip():
        refuse("packing_house_code", _("is required for a packing house"), "")
    return errors


def _valid_gln(gln: str) -> bool:
    if not re.fullmatch(r"\d{13}", gln):
        return False
    digits = [int(c) for c in gln]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:-1]))
    return (10 - total % 10) % 10 == digits[-1]


def facility_fields(data: FacilityData) -> dict[str, Any]:
    """The column values a facility record takes from `data`."""
    return {
        "name": normalise_name(data.name),
        "kind": data.kind,
        "ward_id": data.ward_code or None,
        "address": normalise_name(data.address),
        "latitude": data.latitude,
        "longitude": data.longitude,
        "packing_house_code": data.packing_house_code.strip(),
        "gln": data.gln.strip(),
    }


@transaction.atomic
def create_facility(*, organization: Organization, data: FacilityData, by: Any) -> Facility:
    require_write(by, organization)
    errors = check_facility_data(data)
    if errors:
        raise InvalidInput(detail=_("The facility was not saved."), errors=errors)
    code = data.code.strip()
    if Facility.objects.filter(organization=organization, code=code).exists():
        raise Conflict(
            detail=_("Facility code %(code)s is already used.") % {"code": code},
            errors=[FieldError("code", _("is already used"), code)],
        )
    return Facility.objects.create(organization=organization, code=code, **facility_fields(data))


@transaction.atomic
def update_facility(*, facility: Facility, data: FacilityData, by: Any) -> Facility:
    require_write(by, facility.organization)
    errors = [e for e in check_facility_data(data) if e.field != "code"]
    if errors:
        raise InvalidInput(detail=_("The facility was not saved."), errors=errors)
    for name, value in facility_fields(data).items():
        setattr(facility, name, value)
    facility.save()
    return facility


@transaction.atomic
def register_organization(
    *,
    kind: str,
    name: str,
    tax_code: str = "",
    ward_code: str = "",
    province_code: str = "",
    founded_on: date | None = None,
    gln: str = "",
    short_name: str = "",
) -> Organization:
    errors: list[FieldError] = []
    if kind not in Organization.Kind.values:
        errors.append(FieldError("kind", _("is not a kind of organization"), kind))
    if not name.strip():
        errors.append(FieldError("name", _("is required"), name))
    if tax_code and not TAX_CODE.match(tax_code):
        errors.append(
            FieldError("tax_code", _("must be 10 digits, or 10-3 for a branch"), tax_code)
        )
    if gln and not _valid_gln(gln):
        errors.append(FieldError("gln", _("is not a valid 13-digit GLN"), gln))
    if errors:
        raise InvalidInput(detail=_("The organization was not saved."), errors=errors)
    if tax_code and Organization.objects.filter(tax_code=tax_code).exists():
        raise Conflict(detail=_("Tax code %(code)s is already registered.") % {"code": tax_code})
    organization = Organization.objects.create(
        kind=kind,
        name=normalise_name(name),
        short_name=short_name,
        tax_code=tax_code,
        ward_id=ward_code or None,
        province_id=province_code or None,
        founded_on=founded_on,
        gln=gln,
        status_since=founded_on or timezone.localdate(),
    )
    OrganizationStatusChange.objects.create(
        organization=organization,
        status=organization.status,
        effective_on=organization.status_since,
    )
    return organization


@transaction.atomic
def change_organization_status(
    *, organization: Organization, status: str, effective_on: date, note: str = ""
) -> Organization:
    if status not in Organization.Status.values:
        raise invalid("status", _("is not a status"), status)
    if organization.status == Organization.Status.DISSOLVED:
        raise Conflict(detail=_("A dissolved organization cannot change status."))
    organization.status = status
    organization.status_since = effective_on
    organization.save(update_fields=["status", "status_since"])
    OrganizationStatusChange.objects.create(
        organization=organization, status=status, effective_on=effective_on, note=note
    )
    return organization


@transaction.atomic
def grant_role(
    *,
    user: AbstractBaseUser,
    organization: Organization,
    name: str,
    member: Member | None = None,
) -> Role:
    if name not in Role.Name.values:
        raise invalid("role", _("is not a role"), name)
    if name == Role.Name.FARMER and (member is None or member.organization_id != organization.pk):
        raise invalid("member", _("a farmer's role names a household of the cooperative"))
    if name == Role.Name.OFFICER and (
        organization.kind != Organization.Kind.AUTHORITY or not organization.province_id
    ):
        raise invalid("organization", _("officers belong to a provincial authority"))
    role, _created = Role.objects.get_or_create(
        user=user, organization=organization, name=name, defaults={"member": member}
    )
    return role
