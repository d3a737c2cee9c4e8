import pytest
from django.utils import translation

from coopchain.dairy.tests.factories import make_centre, make_chart
from coopchain.parties.models import Role
from coopchain.parties.tests.factories import UserFactory, grant


@pytest.fixture
def centre(coop):
    return make_centre(coop)


@pytest.fixture
def chart(coop):
    return make_chart(coop)


@pytest.fixture
def collector(coop):
    return grant(UserFactory(username="collector"), coop, Role.Name.COLLECTOR)


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English, whatever translations exist."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
