import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coopchain.trace.selectors import lot_for_identifier, trace_lots


class Command(BaseCommand):
    help = (
        "Trace a lot backward (every lot it came from, down to the harvest lots) or forward "
        "(every lot made from it, the shipments and their receivers), over the whole ledger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "epc",
            help="the lot: a GS1 Digital Link, an EPC URN, a platform lot URI or its short code",
        )
        parser.add_argument(
            "--direction", choices=["backward", "forward"], default="backward", help="which way"
        )
        parser.add_argument(
            "--format", choices=["json", "text"], default="json", help="output format"
        )

    def handle(self, *args, **options) -> None:
        lot = lot_for_identifier(options["epc"])
        if lot is None:
            raise CommandError(f"No lot has the identifier {options['epc']!r}.")
        trace = trace_lots([lot], options["direction"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(trace.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{options['direction']} trace of {lot.epc}: {len(trace.lots)} lots")
        for item in trace.lots:
            product = item.product.name if item.product else ""
            self.stdout.write(f"  {item.epc}  {product}  {item.organization.name}")
        for shipment in trace.shipments:
            receivers = ", ".join(o.name for o in shipment.receivers) or ", ".join(
                shipment.other_destinations
            )
            self.stdout.write(
                f"  shipped {shipment.event.event_time:%Y-%m-%d} by {shipment.shipped_by.name}"
                f" to {receivers or '?'}"
            )
