"""Who sees which contract records, registered with the one scoping helper.

A contract is seen by both parties, the buyer and the seller. Market prices are public
reference data for every signed-in organization. Ledger entries and payment runs are the
cooperative's records; a farmer sees their own household's entries.
"""

from django.db.models import Q

from coopchain.contracts.models import (
    ContractAmendment,
    ContractDelivery,
    DeliveryReceipt,
    LedgerEntry,
    LinkageContract,
    MarketPrice,
    PaymentLine,
    PaymentRun,
)
from coopchain.parties.tenancy import Grants, register


def _party(grants: Grants, prefix: str = "") -> Q:
    return Q(**{f"{prefix}buyer_id__in": grants.org_ids}) | Q(
        **{f"{prefix}seller_id__in": grants.org_ids}
    )


register(LinkageContract, _party)
register(ContractDelivery, lambda g: _party(g, "contract__"))
register(ContractAmendment, lambda g: _party(g, "contract__"))
register(DeliveryReceipt, lambda g: _party(g, "delivery__contract__"))
register(MarketPrice, lambda g: Q())
register(
    LedgerEntry,
    lambda g: Q(organization_id__in=g.record_org_ids) | Q(member_id__in=g.farmer_member_ids),
)
register(PaymentRun, lambda g: Q(organization_id__in=g.record_org_ids))
register(PaymentLine, lambda g: Q(run__organization_id__in=g.record_org_ids))
