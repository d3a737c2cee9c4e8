import pytest

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
