from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from coopchain.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Print a new personal API token for a user (it is shown only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="the user the token acts as")
        parser.add_argument("--name", default="command line", help="what the token is for")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        _token, secret = issue_api_token(user=user, name=name)
        self.stdout.write(secret)
