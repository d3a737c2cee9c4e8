import pytest
from django.utils import translation

from coopchain.contracts.tests.factories import make_contract
from coopchain.parties.models import Role


@pytest.fixture
def exporter(buyer):
    """The enterprise the `buyer` persona works for."""
    return Role.objects.get(user=buyer).organization


@pytest.fixture
def contract(exporter, coop):
    """A signed coffee contract: market +6 % with a 90,000 VND/kg floor, two windows."""
    return make_contract(exporter, coop)


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English, whatever translations exist."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
