from datetime import date

from django.core.management.base import BaseCommand, CommandError

from coopchain.monitoring.indicators import refresh_indicators
from coopchain.monitoring.selectors import COOPERATIVE_KINDS
from coopchain.parties.models import AdminUnit, Organization


class Command(BaseCommand):
    help = (
        "Count every cooperative's member households and deliveries behind contract for a day "
        "(today by default), so the province dashboards read them without counting again. "
        "Run it once a day, e.g. just after midnight."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", help="only this province's code, e.g. 66")
        parser.add_argument("--on", type=date.fromisoformat, help="the day, as YYYY-MM-DD")

    def handle(self, *args, province: str | None, on: date | None, **options) -> None:
        provinces = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE)
        if province:
            provinces = provinces.filter(code=province)
            if not provinces.exists():
                raise CommandError(f"No province has the code {province!r}.")
        total = 0
        # One province at a time keeps each transaction and its memory small.
        for code in provinces.values_list("code", flat=True):
            total += refresh_indicators(
                organizations=Organization.objects.filter(
                    province_id=code, kind__in=COOPERATIVE_KINDS
                ),
                on=on,
            )
        self.stdout.write(f"Indicators kept for {total} cooperatives.")
