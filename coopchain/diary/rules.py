"""The rules that keep a farm diary certifiable, as plain functions over plain facts.

Each broken rule is a `Finding`: a code, the entry it is about, and a reason in plain words.

Rules of one entry (`entry_findings`):
- ``banned``: a product banned in Viet Nam was applied (REFERENCE.md: paraquat, glyphosate,
  2,4-D, chlorpyrifos ethyl, fipronil, …).
- ``over_dose``: a product was applied above its maximum dose per hectare — the quantity divided
  by the treated area (the plots' area when none was given).
- ``dose_unit``: the quantity was given in a unit that cannot be compared with the product's
  maximum (litres against kilograms per hectare), so the dose cannot be shown to be right.
- ``no_product`` (a missing record): VietGAP (TCVN 11892-1:2017) asks that every input
  applied be recorded, so a fertilizing or spraying entry must name at least one product.
- ``phi_unknown`` (a missing record): a pesticide, herbicide or fungicide was applied to a crop
  for which the catalogue lists no pre-harvest interval, so no safe harvest date can be given
  (most often a use the product is not registered for).

Rules of a harvest (`harvest_findings`):
- ``phi``: the harvest falls within the pre-harvest interval of a product applied to the same
  plot for the crop harvested: harvesting on the day the interval ends is allowed.
- every finding of one entry above, on an entry of the harvest's plots in the `SEASON_DAYS`
  before it (``phi_unknown`` only for the crop harvested).

Deliberately not findings: a season with no fertilizing or spraying at all (a crop may need
none), and irrigation, pruning or planting entries without products.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from coopchain.diary.units import convert, unit_label

PLANTING = "planting"
FERTILIZING = "fertilizing"
SPRAYING = "spraying"
IRRIGATION = "irrigation"
PRUNING = "pruning"
HARVEST = "harvest"
OTHER = "other"
# Entries that apply an input and so must name it.
NEEDS_PRODUCT = frozenset({FERTILIZING, SPRAYING})
# Product kinds whose use on a crop needs a pre-harvest interval.
PLANT_PROTECTION = frozenset({"pesticide", "herbicide", "fungicide"})
# How far back a harvest looks for entries that make its lot not eligible.
SEASON_DAYS = 365

BANNED = "banned"
OVER_DOSE = "over_dose"
DOSE_UNIT = "dose_unit"
NO_PRODUCT = "no_product"
PHI_UNKNOWN = "phi_unknown"
PHI = "phi"
CODES = (PHI, BANNED, OVER_DOSE, DOSE_UNIT, NO_PRODUCT, PHI_UNKNOWN)


@dataclass(frozen=True)
class CropFacts:
    id: int
    name: str


@dataclass(frozen=True, eq=False)
class ProductFacts:
    id: int
    name: str
    kind: str
    banned: bool = False
    banned_reason: str = ""
    max_dose_per_ha: Decimal | None = None
    dose_unit: str = ""
    phi_days: Mapping[int, int] = field(default_factory=dict)  # crop id -> days

    @property
    def protects_plants(self) -> bool:
        return self.kind in PLANT_PROTECTION


@dataclass(frozen=True)
class LineFacts:
    product: ProductFacts
    quantity: Decimal
    unit: str


@dataclass(frozen=True, eq=False)
class EntryFacts:
    """One current diary entry, as the rules need it."""

    id: int | None
    kind: str
    on: date
    plot_ids: frozenset[int]
    # The crop the entry names (always, for a harvest); None means the whole plot.
    crop: CropFacts | None = None
    # The crops growing on its plots, which an entry without a crop of its own is about.
    plot_crops: tuple[CropFacts, ...] = ()
    area_ha: Decimal | None = None
    lines: tuple[LineFacts, ...] = ()

    @property
    def crops(self) -> tuple[CropFacts, ...]:
        return (self.crop,) if self.crop else self.plot_crops


@dataclass(frozen=True)
class Finding:
    code: str
    # The entry that breaks the rule: the application, or the harvest for `phi`.
    entry_id: int | None
    on: date
    params: dict[str, Any] = field(default_factory=dict)
    # The application that causes a harvest's `phi` finding (else the entry itself).
    cause_entry_id: int | None = None

    @property
    def message(self) -> str:
        return describe(self.code, self.params)

    @property
    def label(self) -> str:
        return label(self.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "entry_id": self.entry_id,
            "cause_entry_id": self.cause_entry_id,
            "on": self.on.isoformat(),
            "params": self.params,
            "message": self.message,
        }


def label(code: str) -> str:
    """A finding's kind in a few words, for lists and filters."""
    labels = {
        PHI: _("Harvest within a pre-harvest interval"),
        BANNED: _("Banned product"),
        OVER_DOSE: _("Dose over the maximum"),
        DOSE_UNIT: _("Dose that cannot be checked"),
        NO_PRODUCT: _("Input without a product"),
        PHI_UNKNOWN: _("No pre-harvest interval for the crop"),
    }
    return labels.get(code, code)


def _day(iso: str) -> str:
    # Day first, as Vietnamese readers write dates, whichever language the page is in.
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def describe(code: str, params: Mapping[str, Any]) -> str:
    """The plain-language reason for a finding, in the active language."""
    p = dict(params)
    for key in ("applied_on", "safe_from", "harvested_on"):
        if key in p:
            p[key] = _day(p[key])
    for key in ("unit", "max_unit"):
        if key in p:
            p[key] = unit_label(p[key])
    if code == PHI:
        return (
            _(
                "This harvest is within the pre-harvest interval of %(product)s applied on "
                "%(applied_on)s: %(days)s days for %(crop)s, so not before %(safe_from)s."
            )
            % p
        )
    if code == BANNED:
        if p.get("reason"):
            return _("%(product)s is banned in Viet Nam (%(reason)s).") % p
        return _("%(product)s is banned in Viet Nam.") % p
    if code == OVER_DOSE:
        return (
            _(
                "%(product)s was applied at %(dose)s %(unit)s/ha, above its maximum of "
                "%(maximum)s %(unit)s/ha."
            )
            % p
        )
    if code == DOSE_UNIT:
        return (
            _(
                "%(product)s was recorded in %(unit)s, which cannot be compared with its maximum "
                "dose in %(max_unit)s/ha."
            )
            % p
        )
    if code == NO_PRODUCT:
        return _(
            "This entry names no product: VietGAP asks for every input applied, with its quantity."
        )
    if code == PHI_UNKNOWN:
        return (
            _(
                "No pre-harvest interval is listed for %(product)s on %(crop)s, so no safe "
                "harvest date can be given."
            )
            % p
        )
    return code


def _quantise(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize())


def entry_findings(entry: EntryFacts) -> list[Finding]:
    """The rules one entry keeps or breaks on its own."""
    findings: list[Finding] = []

    def found(code: str, **params: Any) -> None:
        findings.append(Finding(code, entry.id, entry.on, params, cause_entry_id=entry.id))

    if entry.kind in NEEDS_PRODUCT and not entry.lines:
        found(NO_PRODUCT, kind=entry.kind)
    for line in entry.lines:
        product = line.product
        if product.banned:
            found(BANNED, product=product.name, reason=product.banned_reason)
        if product.max_dose_per_ha is not None and product.dose_unit:
            _check_dose(entry, line, found)
        if product.protects_plants:
            for crop in entry.crops:
                if crop.id not in product.phi_days:
                    found(PHI_UNKNOWN, product=product.name, crop=crop.name, crop_id=crop.id)
    return findings


def _check_dose(entry: EntryFacts, line: LineFacts, found: Any) -> None:
    product = line.product
    quantity = convert(line.quantity, line.unit, product.dose_unit)
    if quantity is None:
        found(DOSE_UNIT, product=product.name, unit=line.unit, max_unit=product.dose_unit)
        return
    if not entry.area_ha:
        return
    per_ha = quantity / entry.area_ha
    if per_ha > product.max_dose_per_ha:
        found(
            OVER_DOSE,
            product=product.name,
            dose=_quantise(per_ha),
            maximum=_quantise(product.max_dose_per_ha),
            unit=product.dose_unit,
        )


def phi_findings(harvest: EntryFacts, history: Iterable[EntryFacts]) -> list[Finding]:
    """Applications on the harvest's plots whose pre-harvest interval has not ended."""
    findings: list[Finding] = []
    for crop in harvest.crops:
        for entry in history:
            if entry is harvest or (harvest.id is not None and entry.id == harvest.id):
                continue
            if entry.on > harvest.on or not entry.plot_ids & harvest.plot_ids:
                continue
            # An application recorded for another crop of an intercropped plot.
            if entry.crop is not None and entry.crop.id != crop.id:
                continue
            for line in entry.lines:
                days = line.product.phi_days.get(crop.id)
                if days is None:
                    continue
                safe_from = entry.on + timedelta(days=days)
                if harvest.on < safe_from:
                    findings.append(
                        Finding(
                            PHI,
                            harvest.id,
                            harvest.on,
                            {
                                "product": line.product.name,
                                "crop": crop.name,
                                "days": days,
                                "applied_on": entry.on.isoformat(),
                                "safe_from": safe_from.isoformat(),
                                "harvested_on": harvest.on.isoformat(),
                            },
                            cause_entry_id=entry.id,
                        )
                    )
    return findings


def harvest_findings(harvest: EntryFacts, history: Iterable[EntryFacts]) -> list[Finding]:
    """Everything that makes a harvest's lot not eligible for certified claims."""
    history = list(history)
    findings = entry_findings(harvest) + phi_findings(harvest, history)
    season_start = harvest.on - timedelta(days=SEASON_DAYS)
    crop_ids = {c.id for c in harvest.crops}
    for entry in history:
        if entry is harvest or (harvest.id is not None and entry.id == harvest.id):
            continue
        if entry.kind == HARVEST or not entry.plot_ids & harvest.plot_ids:
            continue
        if not season_start <= entry.on <= harvest.on:
            continue
        findings.extend(
            f
            for f in entry_findings(entry)
            if f.code != PHI_UNKNOWN or f.params.get("crop_id") in crop_ids
        )
    return findings


def diary_findings(entries: Iterable[EntryFacts]) -> list[Finding]:
    """Every finding of a diary, each on the entry it is about (a page shows them in place)."""
    entries = list(entries)
    by_plot: dict[int, list[EntryFacts]] = {}
    for entry in entries:
        for plot_id in entry.plot_ids:
            by_plot.setdefault(plot_id, []).append(entry)
    findings: list[Finding] = []
    for entry in entries:
        findings.extend(entry_findings(entry))
        if entry.kind == HARVEST:
            neighbours = {id(e): e for p in entry.plot_ids for e in by_plot.get(p, ())}
            findings.extend(phi_findings(entry, neighbours.values()))
    return findings


def safe_harvest_dates(
    entries: Iterable[EntryFacts], *, crop: CropFacts, plot_id: int, on: date
) -> list[tuple[date, str]]:
    """Applications whose interval for `crop` on `plot_id` is still running on `on`:
    (the first safe day, the product), latest first."""
    running: list[tuple[date, str]] = []
    for entry in entries:
        if plot_id not in entry.plot_ids or entry.on > on:
            continue
        if entry.crop is not None and entry.crop.id != crop.id:
            continue
        for line in entry.lines:
            days = line.product.phi_days.get(crop.id)
            if days is not None and entry.on + timedelta(days=days) > on:
                running.append((entry.on + timedelta(days=days), line.product.name))
    return sorted(running, reverse=True)
