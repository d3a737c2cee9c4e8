"""Recalls: from one lot (a harvest lot, an input lot, a finished lot), every lot that came
out of it is marked recalled, and the records behind it can be handed over at once.

The export follows the "key data elements" of the US FSMA 204 traceability rule (a sortable
spreadsheet an authority may ask for within 24 hours): per affected lot and per shipment,
the traceability lot code, product, quantity and unit, date, location, and who shipped to
whom, with the event behind each line.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.errors import NotFound, invalid
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import require_write
from coopchain.trace import genealogy
from coopchain.trace.identifiers import facilities_for_locations
from coopchain.trace.models import EventObject, Lot, Recall
from coopchain.trace.selectors import LotTrace, forward_trace, held_lots


@transaction.atomic
def start_recall(*, organization: Organization, lot: Lot, reason: str, by: Any) -> Recall:
    """Recall `lot` and everything made from it, whoever holds it now.

    `organization` must have held the lot. Every descendant is marked, including lots the
    recalling organization may not see: a recall that stopped at a tenancy boundary would
    leave unsafe food on shelves. Side effect: the lots' status becomes recalled, which
    their public trace pages show.
    """
    require_write(by, organization)
    if not held_lots(by, organization).filter(pk=lot.pk).exists():
        raise NotFound(detail=_("No lot matches."))
    if not reason.strip():
        raise invalid("reason", _("is required"))
    walk = genealogy.forward(lot.pk)
    recall = Recall.objects.create(
        organization=organization,
        lot=lot,
        reason=reason.strip(),
        started_by=by,
        started_at=timezone.now(),
    )
    recall.lots.set(list(walk.lots))
    Lot.objects.filter(pk__in=list(walk.lots)).update(status=Lot.Status.RECALLED)
    return recall


COLUMNS = (
    ("record", "Record"),
    ("traceability_lot_code", "Traceability lot code"),
    ("lot_number", "Lot number"),
    ("product", "Product"),
    ("quantity", "Quantity"),
    ("unit", "Unit"),
    ("date", "Date"),
    ("event", "Event"),
    ("location", "Location"),
    ("from_organization", "From (organization)"),
    ("to_organization", "To (organization)"),
    ("lot_owner", "Lot owner"),
    ("event_id", "EPCIS event ID"),
    ("status", "Status"),
)


@dataclass
class RecallReport:
    recall: Recall
    trace: LotTrace
    rows: list[dict[str, Any]]
    # Lots marked recalled that the viewer may not see (held by others downstream).
    unseen_lots: int


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def recall_report(recall: Recall, *, user: Any) -> RecallReport:
    """The affected lots and shipments of `recall` as `user` may see them, one row each."""
    trace = forward_trace(recall.lot, user=user)
    quantities: dict[tuple[int, int], tuple[Decimal | None, str]] = {}
    event_pks = [s.event.pk for s in trace.shipments]
    for obj in EventObject.objects.filter(event_id__in=event_pks, lot__isnull=False):
        quantities[(obj.event_id, obj.lot_id)] = (obj.quantity, obj.uom)
    places = facilities_for_locations(
        {lot.origin_location for lot in trace.lots}
        | {s.event.biz_location or s.event.read_point for s in trace.shipments}
    )

    def place(uri: str) -> str:
        return places[uri].name if uri in places else uri

    rows: list[dict[str, Any]] = []
    for lot in trace.lots:
        rows.append(
            {
                "record": _("Lot"),
                "traceability_lot_code": lot.epc,
                "lot_number": lot.lot_number,
                "product": lot.product.name if lot.product else "",
                "quantity": lot.quantity,
                "unit": lot.unit,
                "date": _local(lot.created_at),
                "event": _("made"),
                "location": place(lot.origin_location),
                "from_organization": "",
                "to_organization": "",
                "lot_owner": lot.organization.name,
                "event_id": "",
                "status": lot.get_status_display(),
            }
        )
    for shipment in trace.shipments:
        for lot in shipment.lots:
            quantity, unit = quantities.get((shipment.event.pk, lot.pk), (None, ""))
            rows.append(
                {
                    "record": _("Shipment"),
                    "traceability_lot_code": lot.epc,
                    "lot_number": lot.lot_number,
                    "product": lot.product.name if lot.product else "",
                    "quantity": quantity,
                    "unit": unit or lot.unit,
                    "date": _local(shipment.event.event_time),
                    "event": _("shipped"),
                    "location": place(shipment.event.biz_location or shipment.event.read_point),
                    "from_organization": shipment.shipped_by.name,
                    "to_organization": "; ".join(
                        [o.name for o in shipment.receivers] + shipment.other_destinations
                    ),
                    "lot_owner": lot.organization.name,
                    "event_id": shipment.event.event_id,
                    "status": lot.get_status_display(),
                }
            )
    unseen = recall.lots.exclude(pk__in=[lot.pk for lot in trace.lots]).count()
    return RecallReport(recall=recall, trace=trace, rows=rows, unseen_lots=unseen)


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value


def report_csv(report: RecallReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in COLUMNS])
    for row in report.rows:
        writer.writerow(["" if row[key] is None else row[key] for key, _label in COLUMNS])
    return out.getvalue()


def report_xlsx(report: RecallReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Traceability records"
    sheet.append([label for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append([_cell(row[key]) for key, _label in COLUMNS])
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMN", (10, 48, 16, 28, 12, 6, 17, 10, 28, 28, 36, 28, 48, 10), strict=True
    ):
        sheet.column_dimensions[column].width = width
    about = book.create_sheet("Recall")
    recall = report.recall
    for label, value in (
        ("Recall of", recall.lot.epc),
        ("Reason", recall.reason),
        ("Started by", recall.organization.name),
        ("Started at", _local(recall.started_at)),
        ("Lots marked recalled", recall.lots.count()),
        ("Of them held by others and not listed", report.unseen_lots),
    ):
        about.append([label, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
