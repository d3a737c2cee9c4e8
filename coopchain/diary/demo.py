"""Demo farm diaries for `coopchain demo`: a season of entries on the demo plots.

Coffee in Đắk Lắk (fertilizing, irrigation, rust and pest sprays, pruning, harvest of cherry),
cinnamon in Lào Cai (organic fertilizer, pruning, a copper spray, bark harvest) and VietGAP
vegetables in Phú Thọ (planting, fertilizing, biological and chemical sprays, harvest), with the
problems a cooperative must catch: harvests inside a pre-harvest interval, one use of a banned
herbicide (and one of a banned insecticide), a dose over the label's maximum, and a spray
recorded without its product. The demo farmer's own plot has a spray whose interval is still
running, so their diary warns when to harvest.

Dates are counted back from the day the demo is loaded. Each entry has a submission id made
from the plot and the step, so loading again records nothing twice.
"""

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from coopchain.diary import services
from coopchain.diary.models import Activity, InputProduct
from coopchain.land.models import Plot
from coopchain.parties.demo import CINNAMON, COFFEE, ORGANIZATION_PLANS, VEGETABLES
from coopchain.parties.models import Organization, Role

NAMESPACE = uuid.UUID("5d7f3a52-61b1-4c55-9a0e-2f1b8e6c7d40")


@dataclass(frozen=True)
class Step:
    """One entry of a plot's season: `days_ago` before loading, a product applied at `per_ha`
    of its unit per hectare (or a harvest of `per_ha` kilograms per hectare)."""

    key: str
    kind: str
    days_ago: int
    product: str = ""
    per_ha: Decimal = Decimal(0)
    unit: str = ""
    notes: str = ""


def _step(
    key: str,
    kind: str,
    days_ago: int,
    product: str = "",
    per_ha: str = "0",
    unit: str = "",
    notes: str = "",
) -> Step:
    return Step(key, kind, days_ago, product, Decimal(per_ha), unit, notes)


S, F, H = Activity.Kind.SPRAYING, Activity.Kind.FERTILIZING, Activity.Kind.HARVEST
COFFEE_SEASON = (
    _step("npk", F, 150, "NPK 16-16-8", "400", "KGM", "Bón thúc đầu mùa mưa"),
    _step("water", Activity.Kind.IRRIGATION, 120, notes="Tưới đợt 3 mùa khô, béc phun"),
    _step("urea", F, 90, "Urea 46% N", "200", "KGM"),
    _step("rust", S, 60, "Hexaconazole 5 SC", "0.5", "LTR", "Phòng bệnh gỉ sắt"),
    _step("prune", Activity.Kind.PRUNING, 45, notes="Tỉa cành vượt, cành tăm"),
    _step("copper", S, 30, "Copper oxychloride 85 WP", "2", "KGM", "Phòng nấm hồng"),
    _step("harvest", H, 6, per_ha="3200", notes="Hái chín, không hái xanh"),
)
CINNAMON_SEASON = (
    _step("compost", F, 140, "Microbial organic fertilizer", "1500", "KGM"),
    _step("prune", Activity.Kind.PRUNING, 100, notes="Tỉa cành tạo tán"),
    _step("copper", S, 40, "Copper oxychloride 85 WP", "2.5", "KGM", "Phòng bệnh tua mực"),
    _step("harvest", H, 10, per_ha="1800", notes="Bóc vỏ quế, phơi nơi khô ráo"),
)
VEGETABLE_SEASON = (
    _step("plant", Activity.Kind.PLANTING, 60, notes="Trồng cây con từ vườn ươm HTX"),
    _step("compost", F, 58, "Microbial organic fertilizer", "2000", "KGM", "Bón lót"),
    _step("npk", F, 40, "NPK 16-16-8", "300", "KGM", "Bón thúc"),
    _step("bt", S, 20, "Bacillus thuringiensis (Bt) WP", "0.8", "KGM", "Trừ sâu tơ"),
    _step("emamectin", S, 14, "Emamectin benzoate 5 WG", "0.25", "KGM", "Trừ sâu xanh"),
    _step("harvest", H, 3, per_ha="18000"),
)


@dataclass(frozen=True)
class DiaryPlan:
    organization: str
    crops: tuple[str, ...]  # a plot's main crop must be one of these
    households: int
    season: tuple[Step, ...]
    # Household index (in member-code order) -> steps replacing or adding to the season.
    problems: dict[int, tuple[Step, ...]]


DIARY_PLANS = (
    DiaryPlan(
        COFFEE,
        crops=("coffee-robusta",),
        households=12,
        season=COFFEE_SEASON,
        problems={
            # The demo farmer: a clean season, and an insect spray three days ago whose
            # interval still runs (the harvest is yet to come).
            0: (
                _step("harvest", kind="", days_ago=0),
                _step("mites", S, 3, "Abamectin 1.8 EC", "0.4", "LTR", "Trừ nhện đỏ"),
            ),
            # Sprayed abamectin a week before picking: inside its 14-day interval.
            2: (_step("mites", S, 12, "Abamectin 1.8 EC", "0.4", "LTR", "Trừ nhện đỏ"),),
            5: (_step("mites", S, 10, "Abamectin 1.8 EC", "0.45", "LTR", "Trừ rệp sáp"),),
            # Weeds burnt down with paraquat, banned since 2017.
            7: (_step("weeds", S, 100, "Paraquat 20 SL", "2", "LTR", "Diệt cỏ gốc"),),
            # Urea well above the label's maximum per application.
            9: (_step("urea", F, 90, "Urea 46% N", "380", "KGM"),),
            # A spray written down without the product.
            10: (_step("unknown", S, 50, notes="Phun thuốc trừ sâu (không nhớ tên)"),),
        },
    ),
    DiaryPlan(
        CINNAMON,
        crops=("cinnamon",),
        households=8,
        season=CINNAMON_SEASON,
        problems={
            3: (_step("copper", S, 14, "Copper oxychloride 85 WP", "2.5", "KGM", "Phòng tua mực"),),
        },
    ),
    DiaryPlan(
        VEGETABLES,
        crops=("leafy-vegetables", "cabbage"),
        households=10,
        season=VEGETABLE_SEASON,
        problems={
            # Emamectin two days before cutting: inside its 7-day interval.
            1: (
                _step("emamectin", S, 5, "Emamectin benzoate 5 WG", "0.25", "KGM", "Trừ sâu xanh"),
            ),
            # Chlorpyrifos ethyl, banned since 2021, bought across the border.
            4: (_step("soil", S, 30, "Chlorpyrifos ethyl 48 EC", "1", "LTR", "Trừ sâu xám"),),
        },
    ),
)


def _writer(organization: Organization) -> Any:
    role = (
        Role.objects.filter(
            organization=organization, name__in=[Role.Name.STAFF, Role.Name.MANAGER]
        )
        .select_related("user")
        .order_by("name", "pk")
        .first()
    )
    return role.user if role is not None else None


def _plots(organization: Organization, crops: tuple[str, ...], households: int) -> list[Plot]:
    """Each of the first households' first plot growing one of `crops`."""
    chosen: dict[int, Plot] = {}
    plots = (
        Plot.objects.filter(organization=organization, crops__crop__code__in=crops)
        .select_related("member")
        .prefetch_related("crops__crop")
        .order_by("member__code", "code")
        .distinct()
    )
    for plot in plots:
        if len(chosen) == households:
            break
        chosen.setdefault(plot.member_id, plot)
    return list(chosen.values())


def _season(plan: DiaryPlan, index: int) -> list[Step]:
    steps = {step.key: step for step in plan.season}
    for step in plan.problems.get(index, ()):
        steps[step.key] = step
    # A step without a kind takes the season's one away (a harvest still to come).
    return sorted((s for s in steps.values() if s.kind), key=lambda s: -s.days_ago)


def _quantity(per_ha: Decimal, area: Decimal) -> Decimal:
    return max((per_ha * area).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), Decimal("0.01"))


def _data(
    step: Step, plot: Plot, *, today: date, products: dict[str, InputProduct]
) -> services.ActivityData:
    main_crop = next(c.crop.code for c in plot.crops.all() if c.ended_year is None)
    submission = uuid.uuid5(NAMESPACE, f"{plot.organization_id}:{plot.code}:{step.key}")
    common = {
        "kind": step.kind,
        "performed_on": today - timedelta(days=step.days_ago),
        "plot_ids": (plot.pk,),
        "notes": step.notes,
        "submission_id": submission,
    }
    if step.kind == H:
        return services.ActivityData(
            **common,
            crop_code=main_crop,
            harvest_quantity=_quantity(step.per_ha, plot.area_ha).quantize(Decimal(1)),
            harvest_unit="KGM",
        )
    lines = ()
    if step.product:
        product = products[step.product]
        lines = (services.LineData(product.pk, _quantity(step.per_ha, plot.area_ha), step.unit),)
    # Sprays name the crop they were for, so an intercropped durian or pepper is not taken
    # for sprayed with a product that lists no interval for it.
    crop = main_crop if step.kind == S else ""
    return services.ActivityData(**common, lines=lines, crop_code=crop)


@transaction.atomic
def load_diary_demo(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Load the demo diaries; returns how many entries and harvest lots this run added."""
    created: Counter[str] = Counter()
    today = timezone.localdate()
    products = {p.name: p for p in InputProduct.objects.filter(organization__isnull=True)}
    for plan in DIARY_PLANS:
        organization = Organization.objects.filter(
            tax_code=ORGANIZATION_PLANS[plan.organization].tax_code
        ).first()
        writer = _writer(organization) if organization is not None else None
        if writer is None:
            continue
        entries = Activity.objects.filter(organization=organization)
        before = (entries.count(), entries.filter(kind=H).count())
        for index, plot in enumerate(_plots(organization, plan.crops, plan.households)):
            for step in _season(plan, index):
                services.record_activity(
                    organization=organization,
                    data=_data(step, plot, today=today, products=products),
                    by=writer,
                )
        created["diary entries"] += entries.count() - before[0]
        created["harvest lots"] += entries.filter(kind=H).count() - before[1]
        if stdout is not None:
            stdout.write(
                f"{organization.short_name}: "
                f"{Activity.objects.filter(organization=organization).count()} diary entries\n"
            )
    return {k: v for k, v in created.items() if v}
