"""Cooperative rating and early warning, as data.

The criteria follow the groups and the scale of Circular 01/2020/TT-BKHĐT on rating
cooperatives: 100 points; good 80–100, fair 65 to under 80, average 50 to under 65, weak under
50; a cooperative under 12 months old is not rated. The Circular's criteria read the annual
accounts and the general assembly's minutes; here each is measured from the figures a report
carries, and the table says how.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coopchain.monitoring.models import CooperativeReport
from coopchain.parties.models import Organization

RULES_VERSION = "TT01-2020 v1"


@dataclass(frozen=True)
class Band:
    """Points given when the measure reaches `at_least`; the highest band reached counts."""

    at_least: float
    points: int


@dataclass(frozen=True)
class Criterion:
    code: str
    group: Promise
    label: Promise
    measure: Promise  # how the figure is read from the reports, in words
    bands: tuple[Band, ...]
    advice: Promise  # what would raise the score

    @property
    def max_points(self) -> int:
        return max(b.points for b in self.bands)


Measure = Callable[[CooperativeReport, CooperativeReport | None], float | None]

FINANCE = _("Finance")
GOVERNANCE = _("Governance and members")
SERVICES = _("Services and linkage")
MARKET = _("Market and brand")


def _ratio(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def _revenue_growth(r: CooperativeReport, prev: CooperativeReport | None) -> float | None:
    if prev is None or r.revenue is None or not prev.revenue:
        return None
    return r.revenue / prev.revenue - 1


def _profitable(r: CooperativeReport, _prev: CooperativeReport | None) -> float | None:
    return None if r.profit is None else (1.0 if r.profit > 0 else 0.0 if r.profit == 0 else -1.0)


def _loans_to_capital(r: CooperativeReport, _prev: CooperativeReport | None) -> float | None:
    if r.charter_capital is None:
        return None
    if not r.charter_capital:
        return 0.0 if r.loans else 1.0
    # Scored so that more is better: 1 with no loans, 0 with loans equal to the capital.
    return 1 - (r.loans or 0) / r.charter_capital


def _capital(r: CooperativeReport, _prev: CooperativeReport | None) -> float | None:
    return None if r.charter_capital is None else float(r.charter_capital)


def _members(r: CooperativeReport, _prev: CooperativeReport | None) -> float | None:
    return None if r.members is None else float(r.members)


def _member_change(r: CooperativeReport, prev: CooperativeReport | None) -> float | None:
    if prev is None or r.members is None or prev.members is None:
        return None
    return float(r.members - prev.members)


def _income(r: CooperativeReport, _prev: CooperativeReport | None) -> float | None:
    if r.average_member_income is None:
        return None
    # Per year, whatever the period: a half-year's income counts twice.
    return float(r.average_member_income * (1 if r.half == 0 else 2))


def _linkage_share(r: CooperativeReport, _prev: CooperativeReport | None) -> float | None:
    return _ratio(r.linkage_output_value, r.output_value)


def _flag(name: str) -> Measure:
    def measure(r: CooperativeReport, _prev: CooperativeReport | None) -> float | None:
        value = getattr(r, name)
        return None if value is None else float(value)

    return measure


def _stars(r: CooperativeReport, _prev: CooperativeReport | None) -> float | None:
    return None if r.ocop_stars is None else float(r.ocop_stars)


CRITERIA: tuple[tuple[Criterion, Measure], ...] = (
    (
        Criterion(
            "revenue_growth",
            FINANCE,
            _("Revenue growth"),
            _("revenue against the same period of the previous report"),
            (Band(-1e9, 0), Band(-0.05, 5), Band(0, 8), Band(0.05, 10)),
            _("Grow revenue on the previous period, e.g. through a long-term purchase contract."),
        ),
        _revenue_growth,
    ),
    (
        Criterion(
            "profit",
            FINANCE,
            _("Profit"),
            _("profit of the period"),
            (Band(-1, 0), Band(0, 4), Band(1, 10)),
            _("Make a profit: cut costs or sell more through contracts at agreed prices."),
        ),
        _profitable,
    ),
    (
        Criterion(
            "capital",
            FINANCE,
            _("Charter capital"),
            _("charter capital contributed by members"),
            (Band(0, 0), Band(100_000_000, 3), Band(500_000_000, 5)),
            _("Raise members' contributions to the charter capital to at least 500 million VND."),
        ),
        _capital,
    ),
    (
        Criterion(
            "debt",
            FINANCE,
            _("Loans against capital"),
            _("loans outstanding against charter capital"),
            (Band(-1e9, 0), Band(0, 3), Band(0.5, 5)),
            _("Keep loans outstanding under half of the charter capital."),
        ),
        _loans_to_capital,
    ),
    (
        Criterion(
            "members",
            GOVERNANCE,
            _("Members"),
            _("members at the end of the period"),
            (Band(0, 0), Band(5, 5), Band(30, 10)),
            _("Recruit members: a cooperative needs at least 5, and 30 or more scores fully."),
        ),
        _members,
    ),
    (
        Criterion(
            "member_change",
            GOVERNANCE,
            _("Members kept"),
            _("change in members since the previous report"),
            (Band(-1e9, 0), Band(0, 10)),
            _("Keep members: find out why households left and answer it in the next assembly."),
        ),
        _member_change,
    ),
    (
        Criterion(
            "income",
            GOVERNANCE,
            _("Members' income"),
            _("average yearly income per member"),
            (Band(0, 0), Band(30_000_000, 5), Band(60_000_000, 10)),
            _("Raise members' income above 60 million VND a year through shared services."),
        ),
        _income,
    ),
    (
        Criterion(
            "linkage",
            SERVICES,
            _("Output through linkage contracts"),
            _("share of output value sold through linkage contracts"),
            (Band(0, 0), Band(0.0001, 5), Band(0.2, 10), Band(0.5, 15)),
            _("Sell more of the output through production–consumption linkage contracts."),
        ),
        _linkage_share,
    ),
    (
        Criterion(
            "traceability",
            SERVICES,
            _("Traceability in use"),
            _("events recorded in the traceability ledger in the period"),
            (Band(0, 0), Band(1, 10)),
            _("Record harvests and shipments in the traceability ledger."),
        ),
        _flag("traceability_in_use"),
    ),
    (
        Criterion(
            "brand",
            MARKET,
            _("Registered brand"),
            _("a collective or certification mark registered"),
            (Band(0, 0), Band(1, 5)),
            _("Register the cooperative's brand or a collective mark."),
        ),
        _flag("brand_registered"),
    ),
    (
        Criterion(
            "ocop",
            MARKET,
            _("OCOP products"),
            _("highest OCOP stars of the cooperative's products"),
            (Band(0, 0), Band(3, 7), Band(4, 10)),
            _("Bring a product to OCOP 3 stars, then 4."),
        ),
        _stars,
    ),
)

TOTAL_POINTS = sum(c.max_points for c, _m in CRITERIA)


class Grade:
    GOOD = "good"
    FAIR = "fair"
    AVERAGE = "average"
    WEAK = "weak"
    NOT_RATED = "not_rated"
    INACTIVE = "inactive"
    DISSOLVED = "dissolved"


GRADE_LABELS = {
    Grade.GOOD: _("Good"),
    Grade.FAIR: _("Fair"),
    Grade.AVERAGE: _("Average"),
    Grade.WEAK: _("Weak"),
    Grade.NOT_RATED: _("Not rated"),
    Grade.INACTIVE: _("Inactive (suspended)"),
    Grade.DISSOLVED: _("Dissolved"),
}

# (lowest score, grade), highest first.
GRADE_BANDS: tuple[tuple[int, str], ...] = (
    (80, Grade.GOOD),
    (65, Grade.FAIR),
    (50, Grade.AVERAGE),
    (0, Grade.WEAK),
)
MIN_MONTHS = 12


@dataclass(frozen=True)
class Score:
    criterion: Criterion
    value: float | None
    points: int
    gain: int  # points the next band up would add


@dataclass(frozen=True)
class Rating:
    grade: str
    score: int | None
    scores: tuple[Score, ...]
    report: CooperativeReport | None
    reason: str = ""

    @property
    def label(self) -> str:
        return str(GRADE_LABELS[self.grade])

    @property
    def advice(self) -> list[Score]:
        """What would raise the rating most, biggest gain first."""
        return sorted((s for s in self.scores if s.gain), key=lambda s: -s.gain)


def grade_for(score: int) -> str:
    return next(grade for floor, grade in GRADE_BANDS if score >= floor)


def score_criterion(
    criterion: Criterion,
    measure: Measure,
    report: CooperativeReport,
    prev: CooperativeReport | None,
) -> Score:
    value = measure(report, prev)
    reached = [b for b in criterion.bands if value is not None and value >= b.at_least]
    points = max((b.points for b in reached), default=0)
    higher = [b.points for b in criterion.bands if b.points > points]
    gain = (min(higher) - points) if higher else 0
    return Score(criterion, value, points, gain)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def rate(
    organization: Organization,
    report: CooperativeReport | None,
    previous: CooperativeReport | None,
) -> Rating:
    """Rate a cooperative on its latest report, against the report before it."""
    if organization.status == Organization.Status.DISSOLVED:
        return Rating(Grade.DISSOLVED, None, (), report, str(_("The cooperative is dissolved.")))
    if organization.status == Organization.Status.SUSPENDED:
        return Rating(
            Grade.INACTIVE, None, (), report, str(_("The cooperative has suspended operations."))
        )
    if report is None:
        return Rating(Grade.NOT_RATED, None, (), None, str(_("No report has been submitted.")))
    founded = organization.founded_on
    if founded is not None and months_between(founded, report.period_end) < MIN_MONTHS:
        return Rating(
            Grade.NOT_RATED,
            None,
            (),
            report,
            str(_("Operating for under 12 months at the end of the period: not rated yet.")),
        )
    scores = tuple(score_criterion(c, m, report, previous) for c, m in CRITERIA)
    total = sum(s.points for s in scores)
    return Rating(grade_for(total), total, scores, report)
