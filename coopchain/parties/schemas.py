from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class AdminUnitOut(Schema):
    code: str
    name: str
    level: str
    province_code: str | None = Field(None, alias="province_id")


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    tax_code: str
    ward_code: str | None = Field(None, alias="ward_id")
    province_code: str | None = Field(None, alias="province_id")
    status: str
    status_since: date
    gln: str


class MembershipOut(Schema):
    joined_on: date
    left_on: date | None
    leave_reason: str


class MemberOut(Schema):
    id: int
    organization_id: int
    code: str
    head_of_household: str
    gender: str
    ethnicity: str
    birth_year: int | None
    phone: str
    ward_code: str | None = Field(None, alias="ward_id")
    address: str
    national_id: str
    household_size: int | None
    public_consent: bool
    bank_bin: str
    bank_name: str
    bank_account: str
    bank_account_holder: str
    is_member: bool
    memberships: list[MembershipOut]


class MemberIn(Schema):
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


class MemberLeaveIn(Schema):
    left_on: date
    reason: str = ""


class FacilityOut(Schema):
    id: int
    organization_id: int
    kind: str
    code: str
    name: str
    ward_code: str | None = Field(None, alias="ward_id")
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    packing_house_code: str
    gln: str
    location_uri: str


class FacilityIn(Schema):
    code: str
    name: str
    kind: str
    ward_code: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    packing_house_code: str = ""
    gln: str = ""
