from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coopchain.errors import CoopChainError
from coopchain.parties import exchange
from coopchain.parties.management.commands._arguments import find_organization, find_user

EXPORTERS = {
    exchange.MEMBERS: exchange.export_members,
    exchange.FACILITIES: exchange.export_facilities,
}


class Command(BaseCommand):
    help = (
        "Export an organization's member households or facilities as an .xlsx or .csv list "
        "with the template's columns, which imports back unchanged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(EXPORTERS), help="what to export")
        parser.add_argument(
            "--organization", required=True, help="the organization's id or tax code"
        )
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the user the list is read as: it holds what they may see",
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=[exchange.XLSX, exchange.CSV],
            default=exchange.XLSX,
            help="xlsx (the default) or csv",
        )
        parser.add_argument(
            "--output",
            help="where to write the file (default: its usual name in this directory)",
        )

    def handle(
        self,
        *args,
        kind: str,
        organization: str,
        username: str,
        fmt: str,
        output: str | None,
        **options,
    ) -> None:
        target = find_organization(organization)
        user = find_user(username)
        try:
            content = EXPORTERS[kind](user=user, organization=target, fmt=fmt)
        except CoopChainError as error:
            raise CommandError(str(error)) from None
        path = Path(output or exchange.export_filename(kind, target, fmt))
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}."))
