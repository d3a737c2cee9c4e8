from datetime import date

import factory
from django.contrib.auth import get_user_model

from coopchain.parties.models import (
    AdminUnit,
    Facility,
    Member,
    Membership,
    Organization,
    Role,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


def first_ward(province_code: str) -> AdminUnit:
    return AdminUnit.objects.filter(province_id=province_code).order_by("code").first()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    class Params:
        province_code = "66"

    kind = Organization.Kind.COOPERATIVE
    name = factory.Sequence(lambda n: f"HTX Nông nghiệp số {n}")
    ward = factory.LazyAttribute(lambda o: first_ward(o.province_code))
    province_id = factory.LazyAttribute(lambda o: o.province_code)
    founded_on = date(2019, 3, 1)


class CooperativeFactory(OrganizationFactory):
    pass


class EnterpriseFactory(OrganizationFactory):
    kind = Organization.Kind.ENTERPRISE
    name = factory.Sequence(lambda n: f"Công ty Cổ phần Thực phẩm {n}")


class AuthorityFactory(OrganizationFactory):
    kind = Organization.Kind.AUTHORITY
    ward = None
    name = factory.Sequence(lambda n: f"Sở Nông nghiệp và Môi trường {n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    organization = factory.SubFactory(CooperativeFactory)
    code = factory.Sequence(lambda n: f"TV{n:04d}")
    head_of_household = factory.Sequence(lambda n: f"Trần Văn Hộ {n}")
    gender = Member.Gender.MALE
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    national_id = factory.Sequence(lambda n: f"{66_000_000_000 + n:012d}")
    ward = factory.LazyAttribute(lambda m: m.organization.ward)

    @factory.post_generation
    def joined_on(self, create, extracted, **kwargs):
        if create:
            Membership.objects.create(
                member=self,
                organization=self.organization,
                joined_on=extracted or date(2020, 1, 15),
            )


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    organization = factory.SubFactory(CooperativeFactory)
    kind = Facility.Kind.COLLECTION_CENTRE
    code = factory.Sequence(lambda n: f"CS{n:03d}")
    name = factory.Sequence(lambda n: f"Điểm thu mua {n}")
    ward = factory.LazyAttribute(lambda f: f.organization.ward)


def grant(user, organization: Organization, name: str, member: Member | None = None):
    Role.objects.create(user=user, organization=organization, name=name, member=member)
    return user
