"""Payment demo for HTX Cà phê Ea Tul: members' bank accounts (a few paid in cash), a second
person approving runs, the harvest run of October–December 2025 approved and paid, and the run
of January–March 2026 prepared by the staff and awaiting the manager's review.

Idempotent: nothing is done when the cooperative has a payment run already.
"""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from coopchain.contracts import payments, services
from coopchain.contracts.models import LedgerEntry, PaymentRun
from coopchain.parties import services as parties
from coopchain.parties.models import Member, Organization
from coopchain.parties.tenancy import SYSTEM

# Where Ea Tul's households bank, in turn: Agribank's branches reach every commune.
BANKS = ("970405", "970405", "970405", "970418", "970415", "970446", "970405", "970449")
# One household in this many takes its money in cash at the cooperative's office.
CASH_EVERY = 6
HARVEST = (date(2025, 10, 1), date(2025, 12, 31))
PAID_ON = date(2026, 1, 10)
SPRING = (date(2026, 1, 1), date(2026, 3, 31))
FEE_2026 = 300_000
ADVANCE = 2_000_000
CONTRACT_SHARE_PERCENT = 6


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first() or SYSTEM


def _account(member: Member, number: int) -> str:
    """A demo account number of the bank's usual length, unique to the household."""
    digits = "".join(ch for ch in member.code if ch.isdigit()).zfill(6)
    return f"{5200 + number % 7}{digits}{number % 1000:03d}"


def _bank_details(coop: Organization) -> int:
    given = 0
    for number, member in enumerate(Member.objects.filter(organization=coop).order_by("code")):
        if member.bank_account or number % CASH_EVERY == CASH_EVERY - 1:
            continue
        parties.set_bank_details(
            member=member,
            bank_bin=BANKS[number % len(BANKS)],
            bank_account=_account(member, number),
            by=SYSTEM,
        )
        given += 1
    return given


def _spring_entries(coop: Organization) -> int:
    """After the harvest: the contract's share paid out, the year's fee, a few advances."""
    sellers = (
        LedgerEntry.objects.filter(organization=coop, kind=LedgerEntry.Kind.PRODUCE)
        .select_related("member")
        .order_by("member__code")
    )
    made = 0
    for number, sold in enumerate(sellers):
        member = sold.member
        share = sold.amount * CONTRACT_SHARE_PERCENT // 100 // 1000 * 1000
        entries = [
            (date(2026, 1, 5), LedgerEntry.Kind.FEE, FEE_2026, "Phí dịch vụ HTX năm 2026"),
            (
                date(2026, 2, 20),
                LedgerEntry.Kind.PRODUCE,
                share,
                f"Chia thêm theo hợp đồng liên kết (+{CONTRACT_SHARE_PERCENT} % giá thị "
                "trường) cho cà phê vụ 2025/26",
            ),
        ]
        if number < 3:
            entries.append(
                (
                    date(2026, 3, 2),
                    LedgerEntry.Kind.ADVANCE,
                    ADVANCE,
                    "Tạm ứng tiền mặt chăm sóc vườn sau thu hoạch",
                )
            )
        for on, kind, amount, text in entries:
            services.add_ledger_entry(
                organization=coop,
                member=member,
                on=on,
                kind=kind,
                amount=amount,
                description=text,
                by=SYSTEM,
            )
            made += 1
    return made


def load_payments_demo(coop: Organization) -> dict[str, int]:
    if PaymentRun.objects.filter(organization=coop).exists():
        return {}
    staff, manager = _user("coffee_staff"), _user("coffee_manager")
    accounts = _bank_details(coop)
    payments.set_second_person_rule(organization=coop, required=True, by=SYSTEM)
    harvest = services.prepare_payment_run(
        organization=coop, period_start=HARVEST[0], period_end=HARVEST[1], by=staff
    )
    services.approve_payment_run(run=harvest, by=manager)
    services.mark_payment_run_paid(run=harvest, paid_on=PAID_ON, by=manager)
    entries = _spring_entries(coop)
    spring = services.prepare_payment_run(
        organization=coop, period_start=SPRING[0], period_end=SPRING[1], by=staff
    )
    return {
        "bank_accounts": accounts,
        "paid_lines": harvest.lines.count(),
        "spring_entries": entries,
        "draft_lines": spring.lines.count(),
    }
