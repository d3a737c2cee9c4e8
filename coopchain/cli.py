"""The `coopchain` command: Django's manage.py under the platform's name."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopchain.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
