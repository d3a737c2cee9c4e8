"""Drop a cooperative's kept indicator row, or its kept ratings year by year, when a record
they were counted from changes.

The row is dropped in the writing transaction, and once more when that transaction commits, so
rows written by bulk inserts inside it (a new contract's windows) are covered too. The next
`refresh_indicators` writes the row again; until then the dashboard counts that cooperative
straight from the records.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from coopchain.monitoring.models import CooperativeIndicators, CooperativeYearRating


def _drop(where: Q) -> None:
    CooperativeIndicators.objects.filter(where).delete()
    transaction.on_commit(lambda: CooperativeIndicators.objects.filter(where).delete())


def _drop_ratings(organization_id: int) -> None:
    CooperativeYearRating.objects.filter(organization_id=organization_id).delete()
    transaction.on_commit(
        lambda: CooperativeYearRating.objects.filter(organization_id=organization_id).delete()
    )


def _report_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _drop_ratings(instance.organization_id)


def _organization_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.is_cooperative:
        _drop_ratings(instance.pk)


def _membership_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _drop(Q(organization_id=instance.organization_id) | Q(organization__members=instance.member_id))


def _member_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _drop(Q(organization_id=instance.organization_id))


def _contract_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _drop(Q(organization_id=instance.seller_id))


def _contract_part_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _drop(Q(organization__contracts_as_seller=instance.contract_id))


def connect() -> None:
    from coopchain.monitoring.models import CooperativeReport
    from coopchain.parties.models import Member, Membership, Organization

    receivers: list[tuple[Any, Any]] = [
        (Membership, _membership_changed),
        (Member, _member_changed),
        (CooperativeReport, _report_changed),
        (Organization, _organization_changed),
    ]
    try:
        from coopchain.contracts.models import ContractDelivery, DeliveryWindow, LinkageContract
    except ImportError:  # a platform without contracts has no deliveries to count
        pass
    else:
        receivers += [
            (LinkageContract, _contract_changed),
            (DeliveryWindow, _contract_part_changed),
            (ContractDelivery, _contract_part_changed),
        ]
    for model, receiver in receivers:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"monitoring-{model.__name__}")
