from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from coopchain.errors import CoopChainError
from coopchain.parties import exchange
from coopchain.parties.management.commands._arguments import find_organization, find_user

IMPORTERS = {
    exchange.MEMBERS: exchange.import_members,
    exchange.FACILITIES: exchange.import_facilities,
}


class Command(BaseCommand):
    help = (
        "Import member households or facilities from an .xlsx or .csv list with the columns "
        "of the template. All rows or none: if any row is refused, nothing is written and "
        "every problem is printed (and the exit status is 1)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS), help="what the list holds")
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument(
            "--organization", required=True, help="the organization's id or tax code"
        )
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the user the import is made as; their role must allow changes",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )

    def handle(
        self,
        *args,
        kind: str,
        file: str,
        organization: str,
        username: str,
        dry_run: bool,
        **options,
    ) -> None:
        target = find_organization(organization)
        user = find_user(username)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        with path.open("rb") as handle, tqdm(total=0, unit="row", desc=path.name) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                report = IMPORTERS[kind](
                    organization=target,
                    file=handle,
                    filename=path.name,
                    dry_run=dry_run,
                    by=user,
                    progress=progress,
                )
            except CoopChainError as error:
                raise CommandError(str(error)) from None
        self._print(report)
        if not report.ok:
            raise CommandError(report.summary())

    def _print(self, report: exchange.ImportReport) -> None:
        style = self.style.SUCCESS if report.ok else self.style.ERROR
        self.stdout.write(style(report.summary()))
        for title, entries in (("Problems", report.errors), ("Worth a look", report.warnings)):
            if not entries:
                continue
            self.stdout.write(f"{title}:")
            for entry in entries:
                where = f"row {entry.row}, {entry.field}" if entry.row else "file"
                value = f" [{entry.value}]" if entry.value else ""
                self.stdout.write(f"  {where}{value}: {entry.reason}")
