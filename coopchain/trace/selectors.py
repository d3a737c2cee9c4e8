"""Reads of the ledger used by more than one caller (EPCIS query, trace pages, recall)."""

from typing import Any

from django.db.models import QuerySet

from coopchain.parties.tenancy import scope
from coopchain.trace.models import Event


def visible_events(user: Any) -> QuerySet[Event]:
    """The events `user` may read: for now, those captured by the organizations they work in.

    Custody (lots an organization has held, and what descends from its own) widens this
    later; every reader of events goes through here so that happens in one place.
    """
    return scope(Event.objects.all(), user)
