from datetime import date

import pytest

from coopchain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coopchain.parties import services
from coopchain.parties.models import Member
from coopchain.parties.services import MemberData
from coopchain.parties.tenancy import get_scoped


def data(**overrides) -> MemberData:
    fields = {"code": "TV0100", "head_of_household": "Y Bhim Niê", "joined_on": date(2021, 5, 1)}
    fields.update(overrides)
    return MemberData(**fields)


def test_manager_adds_a_household_with_its_membership(coop, manager):
    member = services.create_member(organization=coop, data=data(phone="0905 123 456"), by=manager)

    assert member.phone == "0905123456"
    assert [(m.joined_on, m.left_on) for m in member.memberships.all()] == [
        (date(2021, 5, 1), None)
    ]


def test_every_bad_field_is_named_with_its_reason(coop, manager):
    with pytest.raises(InvalidInput) as refused:
        services.create_member(
            organization=coop,
            data=data(head_of_household=" ", phone="12", national_id="123", ward_code="99999"),
            by=manager,
        )

    assert {e.field for e in refused.value.errors} == {
        "head_of_household",
        "phone",
        "national_id",
        "ward_code",
    }
    assert not Member.objects.exists()


def test_a_member_code_is_used_once_per_cooperative(coop, manager, other_coop, other_manager):
    services.create_member(organization=coop, data=data(), by=manager)

    with pytest.raises(Conflict):
        services.create_member(organization=coop, data=data(), by=manager)
    services.create_member(organization=other_coop, data=data(), by=other_manager)


def test_leaving_and_rejoining_keep_the_history(coop, manager, member):
    services.record_member_leaving(
        member=member, left_on=date(2023, 1, 1), reason="moved", by=manager
    )
    services.record_member_rejoining(member=member, joined_on=date(2024, 6, 1), by=manager)

    periods = [(m.joined_on, m.left_on) for m in member.memberships.order_by("joined_on")]
    assert periods == [(date(2020, 1, 15), date(2023, 1, 1)), (date(2024, 6, 1), None)]
    assert Member.objects.active(date(2023, 6, 1)).count() == 0
    assert Member.objects.active(date(2024, 6, 2)).count() == 1


def test_a_farmer_cannot_change_the_cooperatives_records(coop, farmer, member):
    with pytest.raises(Forbidden):
        services.update_member(member=member, data=data(code=member.code), by=farmer)


def test_another_cooperatives_manager_cannot_find_the_member(member, other_manager):
    with pytest.raises(NotFound):
        get_scoped(Member.objects.all(), other_manager, pk=member.pk)


def test_search_ignores_diacritics_and_case(coop, member):
    assert list(Member.objects.search("nguyen thi dao")) == [member]
    assert list(Member.objects.search("ĐÀO")) == [member]
    assert list(Member.objects.search("Nguyễn Văn")) == []
