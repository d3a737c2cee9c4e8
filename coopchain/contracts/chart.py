"""A contract's fulfilment over time as a server-drawn SVG: what was promised by each day (the
windows' quantities spread over their days), what was delivered and what the buyer accepted.

Drawn with SVG presentation attributes only: the Content-Security-Policy forbids inline style
and the page loads no chart library.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from coopchain.contracts import terms
from coopchain.contracts.models import DeliveryReceipt, LinkageContract

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 30


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    promised: str = ""
    delivered: str = ""
    accepted: str = ""
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    today_x: float | None = None
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    top: int = TOP


def _cumulative(
    events: list[tuple[date, Decimal]], start: date, end: date
) -> list[tuple[date, Decimal]]:
    points = [(start, Decimal(0))]
    total = Decimal(0)
    for on, kg in sorted(events):
        points.append((on, total))
        total += kg
        points.append((on, total))
    points.append((end, total))
    return points


def _promised(contract: LinkageContract, quantity: Decimal) -> list[tuple[date, Decimal]]:
    windows = list(contract.windows.all())
    if not windows:
        return [(contract.starts_on, Decimal(0)), (contract.ends_on, quantity)]
    points = [(contract.starts_on, Decimal(0))]
    total = Decimal(0)
    for w in windows:
        points.append((w.starts_on, total))
        total += w.quantity_kg
        points.append((w.ends_on, total))
    points.append((contract.ends_on, total))
    return points


def fulfilment_chart(contract: LinkageContract) -> Chart:
    start, end = contract.starts_on, contract.ends_on
    today = timezone.localdate()
    until = min(max(today, start), end)
    quantity = terms.in_force(contract, today).quantity_kg
    deliveries = list(contract.deliveries.values_list("delivered_on", "quantity_kg"))
    receipts = list(
        DeliveryReceipt.objects.filter(delivery__contract=contract).values_list(
            "received_on", "accepted_kg"
        )
    )
    promised = _promised(contract, quantity)
    delivered = _cumulative(deliveries, start, until)
    accepted = _cumulative(receipts, start, until) if receipts else []
    top = max([p[1] for p in promised] + [p[1] for p in delivered] + [Decimal(1)]) * Decimal("1.05")
    days = max((end - start).days, 1)
    chart = Chart()
    plot_w = chart.right_edge - LEFT
    plot_h = chart.bottom_edge - TOP

    def x(on: date) -> float:
        return round(LEFT + plot_w * (min(max(on, start), end) - start).days / days, 1)

    def y(kg: Decimal) -> float:
        return round(float(chart.bottom_edge - plot_h * kg / top), 1)

    def line(points: list[tuple[date, Decimal]]) -> str:
        return " ".join(f"{x(on)},{y(kg)}" for on, kg in points)

    chart.promised, chart.delivered = line(promised), line(delivered)
    chart.accepted = line(accepted) if accepted else ""
    step = _nice_step(top)
    chart.y_ticks = [
        (y(Decimal(v)), f"{v:,}") for v in range(0, int(top) + 1, step) if Decimal(v) <= top
    ]
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            chart.x_ticks.append((x(month), month.strftime("%m/%Y")))
        month = (month + timedelta(days=32)).replace(day=1)
    if len(chart.x_ticks) > 8:
        chart.x_ticks = chart.x_ticks[:: (len(chart.x_ticks) + 7) // 8]
    if start <= today <= end:
        chart.today_x = x(today)
    return chart


def _nice_step(top: Decimal) -> int:
    """A round step giving four to eight grid lines."""
    raw = float(top) / 5
    magnitude = 10 ** max(len(str(int(raw))) - 1, 0)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(factor * magnitude, 1)
    return max(10 * magnitude, 1)
