"""Early warning: each rule reads a cooperative's reports and records and, when it fires, says
why in plain words and what to do next. The rules follow the failure causes cooperatives name
when they close: losses, members leaving, no long-term buyer, capital shortfall, no reporting."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from coopchain.monitoring.indicators import Figures, live_figures
from coopchain.monitoring.models import CooperativeReport
from coopchain.parties.models import Organization


@dataclass(frozen=True)
class Alert:
    code: str
    weight: int
    reason: str
    next_step: str


# Rule code -> weight in the risk score (0–100 when every rule fires).
WEIGHTS = {
    "suspended": 30,
    "no_report": 15,
    "losses": 20,
    "revenue_falling": 10,
    "members_falling": 10,
    "no_linkage": 10,
    "capital_shortfall": 5,
    "deliveries_behind": 10,
}


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def alerts_for(
    organization: Organization,
    latest: CooperativeReport | None,
    previous: CooperativeReport | None,
    *,
    on: date,
    figures: Figures | None = None,
) -> list[Alert]:
    """The warnings that fire for a cooperative; none for a dissolved one (it is gone).

    `figures` are its households and deliveries on `on`, read from the records when not given.
    """
    if organization.status == Organization.Status.DISSOLVED:
        return []
    if figures is None:
        figures = live_figures([organization], on=on)[organization.pk]
    found: list[Alert] = []

    def fire(code: str, reason: str, next_step: str) -> None:
        found.append(Alert(code, WEIGHTS[code], reason, next_step))

    if organization.status == Organization.Status.SUSPENDED:
        fire(
            "suspended",
            _("Suspended operations since %(date)s.") % {"date": organization.status_since},
            _("Visit the cooperative: restructure it with a realistic plan, or dissolve it."),
        )
    if latest is None or latest.period_end < on - timedelta(days=365):
        fire(
            "no_report",
            _("No report for any period ending in the last 12 months."),
            _("Ask the cooperative for its latest half-year report."),
        )
    if latest is not None and previous is not None:
        if (latest.profit or 0) < 0 and (previous.profit or 0) < 0:
            fire(
                "losses",
                _("Losses two periods running (%(prev)s and %(latest)s).")
                % {"prev": previous.period_label, "latest": latest.period_label},
                _("Review costs and prices with the board; consider support for a buyer contract."),
            )
        if (
            latest.revenue is not None
            and previous.revenue
            and latest.revenue < previous.revenue * 0.9
        ):
            fire(
                "revenue_falling",
                _("Revenue fell from %(before)s to %(after)s VND.")
                % {"before": _money(previous.revenue), "after": _money(latest.revenue)},
                _("Find out which market was lost; connect the cooperative with buyers."),
            )
    members_now, members_then = figures.members_now, figures.members_year_before
    if members_now < members_then:
        fire(
            "members_falling",
            _("Members fell from %(before)s to %(after)s in the last 12 months.")
            % {"before": members_then, "after": members_now},
            _("Meet the members who left and find out why."),
        )
    if latest is not None and latest.output_value and not latest.linkage_output_value:
        fire(
            "no_linkage",
            _("Sells nothing through a linkage contract: no long-term buyer."),
            _("Introduce the cooperative to enterprises looking for supply under Decree 98."),
        )
    if (
        latest is not None
        and latest.loans is not None
        and latest.charter_capital is not None
        and latest.loans > latest.charter_capital
    ):
        fire(
            "capital_shortfall",
            _("Loans (%(loans)s VND) exceed the charter capital (%(capital)s VND).")
            % {"loans": _money(latest.loans), "capital": _money(latest.charter_capital)},
            _("Advise raising members' contributions before new borrowing."),
        )
    for window, delivered in figures.behind:
        fire(
            "deliveries_behind",
            _("Delivered %(delivered)s of %(due)s kg under contract %(number)s by %(date)s.")
            % {
                "delivered": f"{delivered:,.0f}".replace(",", "."),
                "due": f"{window.quantity_kg:,.0f}".replace(",", "."),
                "number": window.contract.number,
                "date": window.ends_on.strftime("%d/%m/%Y"),
            },
            _("Find out with the cooperative why members did not deliver; the buyer may end it."),
        )
        break  # one contract behind is reason enough; the cooperative's page lists them
    return found


def risk_score(alerts: list[Alert]) -> int:
    return min(100, sum(a.weight for a in alerts))
