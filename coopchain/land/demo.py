"""Demo plots for `coopchain demo`: mapped plots of the demo cooperatives' households in their
own communes — coffee in Cư M'gar (Đắk Lắk), cinnamon in the Văn Yên hills (Lào Cai),
vegetables in Lâm Thao (Phú Thọ), fodder grass in Ba Vì (Hà Nội) — with their crops and a
raw-material zone supplying the coffee exporter.

Shapes are irregular quadrilaterals and pentagons of 0.3 to 3 ha (smaller for vegetables and
grass), laid on a grid so no two overlap, with small plots recorded as points. Every value
comes from a generator seeded per cooperative, and plots are keyed by their code, so loading
twice changes nothing. Planting-area codes and certificate numbers are sample values.
"""

import math
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction

from coopchain.land.models import Crop, Plot, RawMaterialZone
from coopchain.land.services import PlotData, add_crop, create_plot, create_zone, update_plot
from coopchain.lib.geometry import check_geometry
from coopchain.parties.demo import CINNAMON, COFFEE, DAIRY, EXPORTER, ORGANIZATION_PLANS, VEGETABLES
from coopchain.parties.models import Member, Organization, Role
from coopchain.parties.tenancy import SYSTEM

METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0


@dataclass(frozen=True)
class CropMix:
    crop: str
    varieties: tuple[str, ...]
    planted: tuple[int, int]  # planting years, earliest and latest
    trees_per_ha: tuple[int, int] | None = None  # perennials only
    share: int | None = None  # percent of the plot, for a crop grown beside the main one


@dataclass(frozen=True)
class LandPlan:
    organization: str
    centre: tuple[float, float]  # (longitude, latitude) inside the cooperative's commune
    households: int  # how many of its households have mapped plots
    plots_per_household: tuple[int, int]
    area_ha: tuple[float, float]
    point_share: int  # percent of plots recorded as a point (all of them under 1 ha)
    names: tuple[str, ...]
    main: tuple[CropMix, ...]
    beside: tuple[CropMix, ...] = ()
    planting_area_code: str = ""
    grid_degrees: float = 0.0  # how the block of plots is turned from north


LAND_PLANS: tuple[LandPlan, ...] = (
    LandPlan(
        COFFEE,
        centre=(108.118420, 12.856170),
        households=48,
        plots_per_household=(1, 3),
        area_ha=(0.3, 3.0),
        point_share=15,
        names=("Rẫy cà phê", "Rẫy gần buôn", "Rẫy dưới suối", "Rẫy trên đồi"),
        main=(
            CropMix(
                "coffee-robusta", ("TR4", "TR9", "TR11", "Xanh lùn"), (1994, 2020), (1000, 1250)
            ),
        ),
        beside=(
            CropMix("pepper", ("Vĩnh Linh", "Lộc Ninh"), (2008, 2018), (300, 500), share=20),
            CropMix("durian", ("Ri6", "Monthong"), (2016, 2021), (80, 120), share=15),
        ),
        planting_area_code="VN-DLK-ET-0021",
        grid_degrees=17.0,
    ),
    LandPlan(
        CINNAMON,
        centre=(104.618350, 21.884270),
        households=26,
        plots_per_household=(1, 3),
        area_ha=(0.5, 3.0),
        point_share=10,
        names=("Đồi quế", "Nương quế", "Vườn quế khe"),
        main=(CropMix("cinnamon", ("Quế Văn Yên",), (2006, 2021), (2500, 4000)),),
        planting_area_code="VN-LCI-VY-0014",
        grid_degrees=-28.0,
    ),
    LandPlan(
        VEGETABLES,
        centre=(105.292130, 21.321580),
        households=24,
        plots_per_household=(1, 2),
        area_ha=(0.3, 0.8),
        point_share=25,
        names=("Ruộng rau", "Ruộng bãi", "Ruộng gần đình"),
        main=(
            CropMix(
                "leafy-vegetables", ("Cải ngọt", "Rau muống", "Mồng tơi"), (2024, 2025), None, 60
            ),
            CropMix("cabbage", ("KK Cross", "Sa Pa"), (2024, 2025), None, 60),
        ),
        beside=(
            CropMix("tomato", ("Savior", "VL2910"), (2025, 2025), None, 40),
            CropMix("cucumber", ("Nếp", "F1 Mỹ Trắng"), (2025, 2025), None, 40),
        ),
    ),
    LandPlan(
        DAIRY,
        centre=(105.372460, 21.081930),
        households=20,
        plots_per_household=(1, 1),
        area_ha=(0.3, 1.2),
        point_share=20,
        names=("Ruộng cỏ", "Bãi cỏ voi"),
        main=(CropMix("pasture-grass", ("Cỏ voi VA06", "Cỏ Mombasa"), (2018, 2024)),),
        beside=(CropMix("fodder-maize", ("NK7328",), (2025, 2025), None, 30),),
    ),
)

ZONE_CODE = "VNL-ET-01"
ZONE_NAME = "Vùng nguyên liệu cà phê Ea Tul – Cà phê Ban Mê"
# Each plot lies inside its own square of the grid, so none overlaps another; a 3 ha pentagon
# reaches about 140 m from its centre.
SPACING_M = 320.0
GRID_WIDTH = 12
# Share of the grid's squares left to land outside the cooperative.
EMPTY_SHARE = 0.3


def _offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    per_degree_lon = METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat))
    return lon + east_m / per_degree_lon, lat + north_m / METRES_PER_DEGREE_LAT


def _radius(area_ha: float, corners: int) -> float:
    """Circumradius of a regular polygon of that area: n/2 R² sin(2π/n) = area."""
    return math.sqrt(area_ha * 10_000 / (corners / 2 * math.sin(2 * math.pi / corners)))


def _polygon(
    rng: random.Random, lon: float, lat: float, area_ha: float, corners: int
) -> dict[str, Any]:
    """An irregular polygon of about `area_ha` around (lon, lat), within 1.15 circumradii."""
    radius = _radius(area_ha, corners)
    start = rng.uniform(0, 2 * math.pi)
    ring = []
    for k in range(corners):
        angle = start + 2 * math.pi * k / corners + rng.uniform(-0.25, 0.25)
        r = radius * rng.uniform(0.85, 1.15)
        x, y = _offset(lon, lat, r * math.cos(angle), r * math.sin(angle))
        ring.append([round(x, 6), round(y, 6)])
    # Corners counterclockwise (RFC 7946 exterior rings).
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _rng(key: str) -> random.Random:
    return random.Random(f"coopchain-land-demo-{key}")  # noqa: S311 - demo data, not secrets


def _cells(key: str) -> Iterator[tuple[int, int]]:
    """Squares of the grid filled row by row, some left out, so households' plots lie
    together among other land."""
    index = 0
    while True:
        if _rng(f"{key}-square-{index}").random() >= EMPTY_SHARE:
            yield index % GRID_WIDTH - GRID_WIDTH // 2, index // GRID_WIDTH - 4
        index += 1


def _turn(east: float, north: float, degrees: float) -> tuple[float, float]:
    a = math.radians(degrees)
    return east * math.cos(a) - north * math.sin(a), east * math.sin(a) + north * math.cos(a)


def _writer(organization: Organization) -> Any:
    role = (
        Role.objects.filter(
            organization=organization, name__in=[Role.Name.MANAGER, Role.Name.STAFF]
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if role is None or organization.status == Organization.Status.DISSOLVED:
        return SYSTEM
    return role.user


@transaction.atomic
def load_land_demo(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Load the demo plots, crops and zone; returns how many of each this run added."""
    created: Counter[str] = Counter()
    crops = {c.code: c for c in Crop.objects.all()}
    for plan in LAND_PLANS:
        organization = Organization.objects.filter(
            tax_code=ORGANIZATION_PLANS[plan.organization].tax_code
        ).first()
        if organization is None:
            continue
        _load_plots(plan, organization, crops, created)
        if stdout is not None:
            count = Plot.objects.filter(organization=organization).count()
            stdout.write(f"{organization.short_name}: {count} plots\n")
    _load_zone(crops, created)
    return dict(created)


def _load_plots(
    plan: LandPlan, organization: Organization, crops: dict[str, Crop], created: Counter[str]
) -> None:
    by = _writer(organization)
    members = list(Member.objects.filter(organization=organization).order_by("code"))
    existing = set(Plot.objects.filter(organization=organization).values_list("code", flat=True))
    cells = _cells(plan.organization)
    for member in members[: plan.households]:
        # One generator per household and per plot: what one draws never shifts another, so a
        # rerun (or a plot already present) sees the same world.
        count = _rng(member.code).randint(*plan.plots_per_household)
        if member.code.endswith("-0001"):
            count = 3  # the demo farmer's household shows several plots, a point among them
        for number in range(1, count + 1):
            code = f"{member.code}-L{number}"
            east, north = next(cells)
            if code in existing:
                continue
            rng = _rng(code)
            area = round(rng.uniform(*plan.area_ha), 2)
            as_point = (rng.randint(1, 100) <= plan.point_share and area < 1) or (
                member.code.endswith("-0001") and number == 3
            )
            if as_point:
                area = min(area, 0.9)
            corners = rng.choice((4, 4, 5))
            reach = 0.0 if as_point else _radius(area, corners) * 1.15
            slack = max(0.0, SPACING_M / 2 - reach - 5)
            lon, lat = _offset(
                *plan.centre,
                *_turn(
                    east * SPACING_M + rng.uniform(-slack, slack),
                    north * SPACING_M + rng.uniform(-slack, slack),
                    plan.grid_degrees,
                ),
            )
            geometry = (
                {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
                if as_point
                else _polygon(rng, lon, lat, area, corners)
            )
            mix = rng.choice(plan.main)
            beside = rng.choice(plan.beside) if plan.beside and rng.randint(1, 100) <= 35 else None
            declared = _declared(rng, geometry, area, as_point)
            certificate = (
                f"CS {rng.randint(10_000, 999_999):06d}" if rng.randint(1, 100) <= 70 else ""
            )
            plot = create_plot(
                organization=organization,
                data=PlotData(
                    code=code,
                    member_code=member.code,
                    geometry=geometry,
                    name=f"{rng.choice(plan.names)} {number}",
                    declared_area_ha=declared,
                    planting_area_code=plan.planting_area_code if not as_point else "",
                    land_certificate_ref=certificate,
                ),
                by=by,
            )
            created["plots"] += 1
            _plant(rng, plot, crops[mix.crop], mix, by, created)
            if beside is not None:
                _plant(rng, plot, crops[beside.crop], beside, by, created)
            if member.code.endswith("-0001") and number == 1:
                _redraw(rng, plot, member, by, created)


def _declared(
    rng: random.Random, geometry: dict[str, Any], area: float, as_point: bool
) -> Decimal | None:
    if as_point:
        return Decimal(str(area))
    if rng.randint(1, 100) > 60:
        return None
    mapped = float(check_geometry(geometry).area_ha)
    # Most households declare close to the map; a few remember a much older survey.
    factor = rng.uniform(0.95, 1.05) if rng.randint(1, 100) <= 85 else rng.uniform(1.2, 1.4)
    return Decimal(f"{mapped * factor:.2f}")


def _plant(
    rng: random.Random, plot: Plot, crop: Crop, mix: CropMix, by: Any, created: Counter[str]
) -> None:
    trees = None
    if mix.trees_per_ha is not None:
        trees = int(
            float(plot.area_ha) * rng.randint(*mix.trees_per_ha) * (1 - (mix.share or 0) / 100)
        )
    add_crop(
        plot=plot,
        crop=crop,
        by=by,
        variety=rng.choice(mix.varieties),
        planting_year=rng.randint(*mix.planted),
        tree_count=max(trees, 1) if trees is not None else None,
        area_share_pct=Decimal(mix.share) if mix.share else None,
    )
    created["plot crops"] += 1


def _redraw(rng: random.Random, plot: Plot, member: Member, by: Any, created: Counter[str]) -> None:
    """The first plot was mapped again with a better GPS: its old shape stays in history."""
    ring = plot.geometry["coordinates"][0]
    moved = [[round(x + rng.uniform(-0.00004, 0.00004), 6), round(y, 6)] for x, y in ring[:-1]]
    update_plot(
        plot=plot,
        data=PlotData(
            code=plot.code,
            member_code=member.code,
            geometry={"type": "Polygon", "coordinates": [[*moved, moved[0]]]},
            name=plot.name,
            declared_area_ha=plot.declared_area_ha,
            planting_area_code=plot.planting_area_code,
            land_certificate_ref=plot.land_certificate_ref,
        ),
        by=by,
        note="Đo lại ranh giới bằng GPS cầm tay (2024)",
    )
    created["geometry changes"] += 1


def _load_zone(crops: dict[str, Crop], created: Counter[str]) -> None:
    coffee_coop = Organization.objects.filter(tax_code=ORGANIZATION_PLANS[COFFEE].tax_code).first()
    exporter = Organization.objects.filter(tax_code=ORGANIZATION_PLANS[EXPORTER].tax_code).first()
    if coffee_coop is None or exporter is None:
        return
    if RawMaterialZone.objects.filter(organization=coffee_coop, code=ZONE_CODE).exists():
        return
    plots = Plot.objects.filter(
        organization=coffee_coop,
        code__regex=r"-L[0-9]+$",  # this loader's plots, not other demos' of the same households
        crops__crop__code="coffee-robusta",
        shape=Plot.Shape.POLYGON,
    ).order_by("code")[:40]
    create_zone(
        organization=coffee_coop,
        code=ZONE_CODE,
        name=ZONE_NAME,
        enterprise=exporter,
        crop=crops["coffee-robusta"],
        planting_area_code=LAND_PLANS[0].planting_area_code,
        description="Vườn cà phê vối của thành viên HTX cung cấp cho Cà phê Ban Mê theo hợp đồng liên kết.",
        plots=list(plots),
        by=_writer(coffee_coop),
    )
    created["zones"] += 1
