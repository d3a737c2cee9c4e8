import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils.html import escape

from coopchain.lib.text import fold
from coopchain.parties.admin_units import load_admin_units
from coopchain.parties.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    ORGANIZATION_PLANS,
    demo_user_rows,
    load_demo,
)
from coopchain.parties.models import (
    AdminUnit,
    Facility,
    Member,
    Membership,
    Organization,
    OrganizationStatusChange,
    Role,
)
from coopchain.parties.services import PHONE

README = Path(__file__).resolve().parents[3] / "README.md"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at its end;
    each test runs in a savepoint of it, so tests still cannot see each other's changes."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        # Tests that flush tables (browser tests) empty the data migration's units.
        if not AdminUnit.objects.filter(level=AdminUnit.Level.WARD).exists():
            load_admin_units(AdminUnit)
        # The fast hasher the other tests log in with; argon2 would cost seconds here.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            summary = load_demo()
    yield summary
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def counts() -> dict[str, int]:
    models = (
        Organization,
        OrganizationStatusChange,
        Facility,
        Member,
        Membership,
        Role,
        get_user_model(),
    )
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_loads_a_few_hundred_households_in_every_kind_of_organization(demo):
    assert demo.present["organizations"] == len(ORGANIZATION_PLANS)
    assert 300 <= demo.present["members"] <= 500
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds == {"cooperative", "enterprise", "authority", "certifier"}
    assert Facility.objects.filter(kind=Facility.Kind.COLLECTION_CENTRE).count() >= 2
    packing_house = Facility.objects.get(kind=Facility.Kind.PACKING_HOUSE)
    assert packing_house.packing_house_code
    assert packing_house.organization.province_id == "25"
    tax_codes = list(Organization.objects.values_list("tax_code", flat=True))
    assert all(re.fullmatch(r"\d{10}", code) for code in tax_codes)


def test_the_dien_bien_cooperatives_are_suspended_and_dissolved_with_their_history():
    dien_bien = Organization.objects.filter(province_id="11").order_by("founded_on")
    suspended, dissolved = dien_bien

    assert [c.status for c in suspended.status_changes.all()] == [
        "active",
        "suspended",
        "active",
        "suspended",
    ]
    assert suspended.status == "suspended"
    assert dissolved.status == "dissolved"
    assert dissolved.status_since == dissolved.status_changes.last().effective_on
    # A dissolved cooperative has no members left.
    assert not Member.objects.filter(organization=dissolved).active(dissolved.status_since).exists()


def test_loading_again_adds_nothing():
    before = counts()

    again = load_demo()

    assert counts() == before
    assert not any(again.created.values())


def test_the_command_prints_every_user_and_the_password():
    out = StringIO()

    call_command("demo", stdout=out)

    printed = out.getvalue()
    assert "already loaded" in printed
    for username, role, organization in demo_user_rows():
        assert re.search(rf"^{username}\s+{role}\s+{re.escape(organization)}", printed, re.M)
    assert DEMO_PASSWORD in printed


@pytest.mark.parametrize(
    "username", [u.username for u in DEMO_USERS if u.role], ids=lambda name: name
)
def test_every_demo_user_logs_in_and_sees_their_organization(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)

    response = client.get("/")

    assert response.status_code == 200
    role = Role.objects.select_related("organization", "member").get(user__username=username)
    shown = role.member.head_of_household if role.member else role.organization.name
    assert escape(shown) in response.content.decode()


def test_the_administrator_holds_no_role_and_reaches_the_admin_site(client):
    assert client.login(username="admin", password=DEMO_PASSWORD)

    assert client.get("/admin/").status_code == 200
    assert not Role.objects.filter(user__username="admin").exists()


def test_the_officer_sees_dak_lak_cooperatives_and_not_the_ha_noi_dairy(client):
    client.login(username="officer_daklak", password=DEMO_PASSWORD)

    page = client.get("/").content.decode()

    dak_lak = Organization.objects.filter(province_id="66", kind="cooperative")
    assert dak_lak.count() >= 2
    for cooperative in dak_lak:
        assert escape(cooperative.name) in page
    assert escape(ORGANIZATION_PLANS["dairy"].name) not in page


def readme_rows() -> list[tuple[str, str, str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Demo users", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+?) \| ([^|]+?) \|$", section, re.M)
    assert f"`{DEMO_PASSWORD}`" in section
    return rows


def test_the_readme_lists_exactly_the_users_the_demo_creates():
    rows = readme_rows()

    assert rows == demo_user_rows()
    assert {username for username, _, _ in rows} == set(
        get_user_model().objects.values_list("username", flat=True)
    )


def test_members_have_vietnamese_names_found_without_diacritics():
    names = list(Member.objects.values_list("head_of_household", flat=True))

    with_diacritics = [name for name in names if fold(name) != name.lower()]
    assert len(with_diacritics) > 0.9 * len(names)
    found = Member.objects.search("nguyen")
    assert found.exists()
    assert all(
        name.startswith("Nguyễn") for name in found.values_list("head_of_household", flat=True)
    )


def test_highland_households_carry_their_ethnicity():
    ede = Member.objects.filter(ethnicity="Ê Đê")
    assert ede.exists()
    assert all(re.match(r"^(Y |H')\w", m.head_of_household) for m in ede)
    assert Member.objects.filter(ethnicity="M'nông", organization__province_id="66").exists()
    north = Member.objects.filter(organization__province_id__in=["11", "15"])
    assert {"Thái", "H'Mông", "Dao"} <= set(north.values_list("ethnicity", flat=True))


BIRTH_PROVINCE = {"01": "001", "11": "011", "15": "015", "25": "025", "66": "066"}


def test_phones_and_citizen_ids_are_well_formed_and_unique():
    members = list(Member.objects.select_related("organization"))

    phones = [m.phone for m in members if m.phone]
    assert all(
        PHONE.match(p) and len(p) == 10 and p[:2] in {"03", "05", "07", "08", "09"} for p in phones
    )
    assert len(set(phones)) == len(phones)
    ids = [m.national_id for m in members]
    assert all(re.fullmatch(r"\d{12}", number) for number in ids)
    assert len(set(ids)) == len(ids)
    born_at_home = [
        m for m in members if m.national_id[:3] == BIRTH_PROVINCE[m.organization.province_id]
    ]
    assert len(born_at_home) > 0.8 * len(members)
    # Digits 5-6 are the year of birth.
    assert all(m.national_id[4:6] == f"{m.birth_year % 100:02d}" for m in members)


def test_a_few_households_left_with_a_reason_and_one_came_back():
    left = Membership.objects.exclude(left_on=None).exclude(leave_reason="HTX giải thể")

    assert 5 <= left.count() <= 40
    assert all(m.leave_reason for m in left)
    rejoined = Member.objects.filter(memberships__left_on__isnull=False).active()
    assert rejoined.count() == 1
    assert rejoined.get().memberships.count() == 2


def test_members_live_in_their_cooperatives_province():
    members = Member.objects.select_related("ward", "organization")

    assert all(m.ward.province_id == m.organization.province_id for m in members)
