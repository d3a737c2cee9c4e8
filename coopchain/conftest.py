"""Personas shared by every app's tests: who is who in a small, two-province world."""

import pytest
from django.test import Client
from django.utils import translation

from coopchain.browser import (  # noqa: F401 - browser-test fixtures and their failure hook
    admin_units_loaded,
    chromium,
    migrated_rows,
    migrated_rows_restored,
    page,
    pytest_runtest_makereport,
)
from coopchain.parties.models import Role
from coopchain.parties.tests.factories import (
    AuthorityFactory,
    CooperativeFactory,
    EnterpriseFactory,
    MemberFactory,
    UserFactory,
    grant,
)


@pytest.fixture(autouse=True, scope="session")
def _milk_demo_slice():
    """Tests that load the demo load a slice of the milk demo: its two months of 200 farms
    would cost each of them half a minute."""
    from coopchain.dairy import demo

    demo.DEFAULT_SIZE = demo.SLICE


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the real hasher (checked in accounts tests); tests log in thousands of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_for_assertions():
    """Tests read the English source strings: services called directly answer in English.

    Vietnamese stays the platform's default; tests of it make their own client with no
    language (accounts/tests/test_languages.py) or a browser page that asks for vi-VN.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """The test client, asking for English as a browser set to English would."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    # Pages link static files; tests run without `collectstatic`, so no manifest exists.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def coop(db):
    return CooperativeFactory(name="HTX Cà phê Ea Tul", province_code="66")


@pytest.fixture
def other_coop(db):
    return CooperativeFactory(name="HTX Bò sữa Ba Vì", province_code="01")


@pytest.fixture
def manager(coop):
    return grant(UserFactory(username="manager"), coop, Role.Name.MANAGER)


@pytest.fixture
def staff(coop):
    return grant(UserFactory(username="staff"), coop, Role.Name.STAFF)


@pytest.fixture
def other_manager(other_coop):
    return grant(UserFactory(username="other_manager"), other_coop, Role.Name.MANAGER)


@pytest.fixture
def member(coop):
    return MemberFactory(organization=coop, head_of_household="Nguyễn Thị Đào")


@pytest.fixture
def farmer(member):
    return grant(
        UserFactory(username="farmer"), member.organization, Role.Name.FARMER, member=member
    )


@pytest.fixture
def buyer(db):
    return grant(UserFactory(username="buyer"), EnterpriseFactory(), Role.Name.BUYER)


@pytest.fixture
def officer(db):
    authority = AuthorityFactory(name="Sở Nông nghiệp Đắk Lắk", province_code="66")
    return grant(UserFactory(username="officer"), authority, Role.Name.OFFICER)


@pytest.fixture
def officer_elsewhere(db):
    authority = AuthorityFactory(name="Sở Nông nghiệp Điện Biên", province_code="11")
    return grant(UserFactory(username="officer_elsewhere"), authority, Role.Name.OFFICER)
