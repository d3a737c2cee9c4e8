from django.core.management.base import BaseCommand

from coopchain.parties.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo cooperatives, enterprises, member households and a user for every role, "
        "then print the users and their password. Running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        summary = load_demo(stdout=self.stdout)
        added = ", ".join(f"{count} {kind}" for kind, count in summary.created.items() if count)
        self.stdout.write(f"Added: {added}." if added else "The demo data was already loaded.")
        widths = [
            max(len(heading), *(len(getattr(row, attr)) for row in summary.users))
            for heading, attr in (
                ("Username", "username"),
                ("Role", "role"),
                ("Organization", "organization"),
            )
        ]
        self.stdout.write("")
        self.stdout.write(self._line(("Username", "Role", "Organization"), widths))
        self.stdout.write(self._line(tuple("-" * width for width in widths), widths))
        for row in summary.users:
            note = "" if row.created else "  (was already there: password left as it was)"
            self.stdout.write(self._line((row.username, row.role, row.organization), widths) + note)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Every demo user's password is: {DEMO_PASSWORD}"))

    @staticmethod
    def _line(cells: tuple[str, ...], widths: list[int]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()
