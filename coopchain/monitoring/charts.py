"""Geometry of the dashboard's server-side SVG charts: where each column, line and tile goes.

Templates draw the shapes with these numbers and style them with classes from the app's
stylesheet: the Content-Security-Policy forbids inline styles, and no chart library is needed
for columns and squares.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

TREND_WIDTH = 320
TREND_HEIGHT = 130
_TOP_PAD = 16  # room for the value above a column
_BOTTOM_PAD = 18  # room for the year under it
_SIDE_PAD = 8


@dataclass(frozen=True)
class TrendColumn:
    year: int
    value: Decimal | None
    x: float
    y: float
    width: float
    height: float
    label_x: float
    met: bool

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class TrendChart:
    columns: list[TrendColumn]
    goal_y: float
    goal: Decimal
    top: int  # the percent at the top of the plot
    width: int = TREND_WIDTH
    height: int = TREND_HEIGHT

    @property
    def baseline_y(self) -> float:
        return self.height - _BOTTOM_PAD

    @property
    def year_y(self) -> float:
        return self.height - 4

    @property
    def right(self) -> int:
        return self.width - _SIDE_PAD


def trend_chart(points: list[tuple[int, Decimal | None]], goal: Decimal) -> TrendChart:
    """One column per year, scaled so that the goal and every value fit, with the goal's line."""
    highest = max([goal, *(v for _y, v in points if v is not None)])
    top = min(100, max(10, math.ceil(float(highest) / 10) * 10))
    plot = TREND_HEIGHT - _TOP_PAD - _BOTTOM_PAD
    baseline = TREND_HEIGHT - _BOTTOM_PAD

    def y_of(percent: Decimal) -> float:
        clipped = min(Decimal(top), max(Decimal(0), percent))
        return round(baseline - float(clipped) * plot / top, 1)

    slot = (TREND_WIDTH - 2 * _SIDE_PAD) / max(1, len(points))
    width = round(slot * 0.6, 1)
    columns = []
    for i, (year, value) in enumerate(points):
        x = round(_SIDE_PAD + i * slot + (slot - width) / 2, 1)
        y = y_of(value) if value is not None else baseline
        columns.append(
            TrendColumn(
                year=year,
                value=value,
                x=x,
                y=y,
                width=width,
                height=round(baseline - y, 1),
                label_x=round(x + width / 2, 1),
                met=value is not None and value >= goal,
            )
        )
    return TrendChart(columns=columns, goal_y=y_of(goal), goal=goal, top=top)


TILE = 28
TILE_GAP = 3
TILE_COLUMNS = 10


@dataclass(frozen=True)
class PlacedTile:
    tile: Any  # drilldown.Tile
    x: int
    y: int

    @property
    def text_x(self) -> int:
        return self.x + TILE // 2

    @property
    def text_y(self) -> int:
        return self.y + TILE // 2 + 4


@dataclass(frozen=True)
class TileMap:
    tiles: list[PlacedTile]
    width: int
    height: int
    size: int = TILE


def tile_map(tiles: list[Any], columns: int = TILE_COLUMNS) -> TileMap:
    """Communes as equal squares in rows, in the order given (by name: no coordinates exist)."""
    step = TILE + TILE_GAP
    placed = [
        PlacedTile(tile, (i % columns) * step, (i // columns) * step)
        for i, tile in enumerate(tiles)
    ]
    rows = max(1, math.ceil(len(tiles) / columns))
    return TileMap(placed, width=columns * step - TILE_GAP, height=rows * step - TILE_GAP)
