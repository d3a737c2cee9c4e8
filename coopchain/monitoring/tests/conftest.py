import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client):
    """Reasons and advice are asserted in English, whatever translations exist."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
