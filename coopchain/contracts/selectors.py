"""Reads shared by the contract pages and API."""

from typing import Any

from django.db.models import QuerySet

from coopchain.contracts.models import LinkageContract
from coopchain.parties.tenancy import scope


def contracts(user: Any) -> QuerySet[LinkageContract]:
    """The contracts the user's organizations are party to, as buyer or as seller."""
    return scope(LinkageContract.objects.all(), user).select_related("buyer", "seller")
