"""What the `import` and `export` commands share: finding the organization and the user."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q

from coopchain.parties.models import Organization


def find_organization(value: str) -> Organization:
    """An organization by its tax code, or by its id."""
    value = value.strip()
    lookup = Q(tax_code=value)
    if value.isdigit():
        lookup |= Q(pk=int(value))
    found = list(Organization.objects.filter(lookup)[:2])
    if not found:
        raise CommandError(f"No organization has the id or tax code {value!r}.")
    if len(found) > 1:
        raise CommandError(
            f"{value!r} is one organization's id and another's tax code; give the other one."
        )
    return found[0]


def find_user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user is called {username!r}.")
    return user
