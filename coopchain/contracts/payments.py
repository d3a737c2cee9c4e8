"""Paying members: what is kept back of each payment and in which order, who may approve a run,
and a run laid out for the manager who reviews it.

What a member owes the cooperative is recovered from what it owes them in a fixed order, never
more than the run's limit (e.g. at most half of what is due): fees first (the cooperative's own
charges), then cash advances, then inputs sold on credit, then corrections the member owes.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from coopchain.contracts.models import LedgerEntry, PaymentLine, PaymentRun
from coopchain.errors import Forbidden
from coopchain.parties.models import Member, Organization, Role
from coopchain.parties.tenancy import SYSTEM, grants_for, require_write

RECOVERY_ORDER: tuple[str, ...] = (
    LedgerEntry.Kind.FEE,
    LedgerEntry.Kind.ADVANCE,
    LedgerEntry.Kind.INPUTS,
    LedgerEntry.Kind.CORRECTION,
)
SETTLED = (PaymentRun.Status.APPROVED, PaymentRun.Status.PAID)


@dataclass
class Standing:
    """A member's sums for paying, up to a day: what was credited to them, what they came to
    owe by kind (in the recovery order), and what settled runs paid and kept back."""

    credits: int = 0
    owed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RECOVERY_ORDER, 0))
    paid: int = 0
    recovered: int = 0

    @property
    def due(self) -> int:
        """Owed to the member and not yet settled by an approved run."""
        return self.credits - self.paid - self.recovered

    @property
    def outstanding_debt(self) -> int:
        """Owed by the member and not yet recovered."""
        return sum(self.owed.values()) - self.recovered

    def debts_by_kind(self) -> dict[str, int]:
        """What is still owed by kind: settled runs record only their total kept back, taken
        from the kinds in the same order it was recovered."""
        taken = split(self.recovered, self.owed)
        return {kind: self.owed[kind] - part for kind, part in zip(self.owed, taken, strict=True)}


def standings(
    member_ids: Iterable[int], *, until: date, excluding: PaymentRun | None = None
) -> dict[int, Standing]:
    """Each member's standing up to `until`, in two grouped queries whatever their number.
    A member without entries or settled lines stands at zero."""
    ids = list(member_ids)
    found = {pk: Standing() for pk in ids}
    rows = (
        LedgerEntry.objects.filter(member_id__in=ids, on__lte=until)
        .exclude(kind=LedgerEntry.Kind.PAYMENT)
        .order_by()
        .values("member_id", "kind")
        .annotate(
            credit=Sum("amount", filter=Q(amount__gt=0)),
            debt=Sum("amount", filter=Q(amount__lt=0)),
        )
    )
    for row in rows:
        standing = found[row["member_id"]]
        standing.credits += row["credit"] or 0
        kind = row["kind"] if row["kind"] in standing.owed else LedgerEntry.Kind.CORRECTION
        standing.owed[kind] += -(row["debt"] or 0)
    settled = PaymentLine.objects.filter(member_id__in=ids, run__status__in=SETTLED)
    if excluding is not None:
        settled = settled.exclude(run=excluding)
    for row in (
        settled.order_by().values("member_id").annotate(pay=Sum("pay"), deduction=Sum("deduction"))
    ):
        found[row["member_id"]].paid = row["pay"] or 0
        found[row["member_id"]].recovered = row["deduction"] or 0
    return found


def debts_by_kind(
    member: Member, *, until: date, excluding: PaymentRun | None = None
) -> dict[str, int]:
    """What the member still owes, by kind, in the recovery order."""
    return standings([member.pk], until=until, excluding=excluding)[member.pk].debts_by_kind()


def split(amount: int, owed: dict[str, int]) -> list[int]:
    """`amount` taken from each kind in turn, in the recovery order, as far as it goes."""
    taken = []
    for kind in owed:
        part = min(max(owed[kind], 0), amount)
        taken.append(part)
        amount -= part
    return taken


def deduction_parts(deduction: int, owed: dict[str, int]) -> list[dict[str, Any]]:
    """The deduction of a line as each kind's share of it, for the review and the statement."""
    return [
        {"kind": kind, "owed": owed[kind], "taken": taken}
        for kind, taken in zip(owed, split(deduction, owed), strict=True)
        if owed[kind] > 0
    ]


KIND_LABELS = dict(LedgerEntry.Kind.choices)


# --- Who approves -----------------------------------------------------------------------------

SETTING_ROLES = frozenset({Role.Name.ADMIN, Role.Name.MANAGER})


def require_approver(run: PaymentRun, by: Any) -> None:
    """Refuse an approval the cooperative's rule does not allow: with a second person required,
    the one who prepared the run cannot approve it."""
    require_write(by, run.organization)
    if by is SYSTEM or not run.organization.payment_runs_need_second_person:
        return
    if run.created_by_id is not None and run.created_by_id == by.pk:
        raise Forbidden(
            detail=_(
                "This cooperative has a second person approve each payment run: you prepared "
                "this one, so another manager must approve it."
            )
        )


@transaction.atomic
def set_second_person_rule(*, organization: Organization, required: bool, by: Any) -> Organization:
    """Require (or stop requiring) a second person to approve payment runs. Only the
    cooperative's administrators and managers set it: staff who prepare runs cannot lift it."""
    require_write(by, organization)
    if by is not SYSTEM and not grants_for(by).role_names(organization.pk) & SETTING_ROLES:
        raise Forbidden(
            detail=_("Only the cooperative's managers decide who approves payment runs.")
        )
    organization.payment_runs_need_second_person = required
    organization.save(update_fields=["payment_runs_need_second_person"])
    return organization


def may_approve(run: PaymentRun, user: Any) -> tuple[bool, str]:
    """Whether `user` may approve the draft `run` now, and if not, why (for the page)."""
    if run.status != PaymentRun.Status.DRAFT:
        return False, ""
    try:
        require_approver(run, user)
    except Forbidden as refusal:
        return False, str(refusal)
    return True, ""


# --- The review -------------------------------------------------------------------------------


@dataclass
class ReviewLine:
    line: PaymentLine
    # Each kind's deduction in the recovery order, aligned with Review.kinds (0 where none).
    taken: list[int]
    still_owed: int
    limit: int


@dataclass
class Review:
    run: PaymentRun
    kinds: list[tuple[str, str]]
    lines: list[ReviewLine] = field(default_factory=list)
    due: int = 0
    deduction: int = 0
    pay: int = 0
    taken_totals: list[int] = field(default_factory=list)


def parts_of(line: PaymentLine) -> list[dict[str, Any]]:
    for item in line.explanation:
        if item.get("code") == "recovered":
            return item.get("parts") or []
    return []


def review(run: PaymentRun) -> Review:
    """The run as the manager checks it: per member the gross owed, each deduction in the
    recovery order within the limit, and the net to pay."""
    lines = list(run.lines.select_related("member"))
    used = {part["kind"] for line in lines for part in parts_of(line) if part["taken"]}
    kinds = [(kind, str(KIND_LABELS[kind])) for kind in RECOVERY_ORDER if kind in used]
    result = Review(run=run, kinds=kinds)
    for line in lines:
        taken_by_kind = {part["kind"]: part["taken"] for part in parts_of(line)}
        result.lines.append(
            ReviewLine(
                line=line,
                taken=[taken_by_kind.get(kind, 0) for kind, _label in kinds],
                still_owed=max(line.outstanding_debt - line.deduction, 0),
                limit=line.due * run.recovery_limit_percent // 100,
            )
        )
        result.due += line.due
        result.deduction += line.deduction
        result.pay += line.pay
    result.taken_totals = [sum(r.taken[i] for r in result.lines) for i in range(len(kinds))]
    return result


def debt_entries(member: Member, run: PaymentRun) -> list[dict[str, Any]]:
    """The amounts the member came to owe within the run's period: the entries behind what the
    run keeps back (older debts are counted in what is owed, as the passbook shows)."""
    return debt_items(entries_in_period([member.pk], run)[member.pk])


def entries_in_period(member_ids: Iterable[int], run: PaymentRun) -> dict[int, list[LedgerEntry]]:
    """Each member's entries within the run's period but payments, in date order, in one
    query whatever their number."""
    ids = list(member_ids)
    found: dict[int, list[LedgerEntry]] = {pk: [] for pk in ids}
    entries = (
        LedgerEntry.objects.filter(
            member_id__in=ids, on__gte=run.period_start, on__lte=run.period_end
        )
        .exclude(kind=LedgerEntry.Kind.PAYMENT)
        .order_by("on", "id")
    )
    for entry in entries:
        found[entry.member_id].append(entry)
    return found


def debt_items(entries: list[LedgerEntry]) -> list[dict[str, Any]]:
    """The debts among a member's entries, as a line's explanation lists them."""
    return [
        {"kind": e.kind, "on": e.on.isoformat(), "text": e.description, "amount": e.amount}
        for e in entries
        if e.amount < 0
    ]


# --- A member's own view ----------------------------------------------------------------------


@dataclass
class MemberPayment:
    """One approved run's line as the member reads it in their passbook."""

    line: PaymentLine
    deductions: list[tuple[str, int]]

    @property
    def run(self) -> PaymentRun:
        return self.line.run


def member_payments(member: Member) -> list[MemberPayment]:
    """The member's lines in approved and paid runs, latest first (drafts may still change)."""
    lines = (
        PaymentLine.objects.filter(member=member, run__status__in=SETTLED)
        .select_related("run")
        .order_by("-run__period_end", "-run_id")
    )
    return [
        MemberPayment(
            line=line,
            deductions=[
                (str(KIND_LABELS[p["kind"]]), p["taken"]) for p in parts_of(line) if p["taken"]
            ]
            or ([(str(_("Debts")), line.deduction)] if line.deduction else []),
        )
        for line in lines
    ]
