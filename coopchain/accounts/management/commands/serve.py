import os
from typing import Any

from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from coopchain.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve CoopChain on gunicorn (the production server; PORT and HOST override)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--host", default=os.environ.get("HOST", "127.0.0.1"), help="address to bind"
        )
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"), help="port to bind")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", 2)),
            help="worker processes (default 2, or WEB_CONCURRENCY)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")

    def handle(self, *args, host: str, port: str, workers: int, threads: int, **options) -> None:
        self.stdout.write(f"CoopChain is serving on http://{host}:{port}/ (Ctrl+C stops it)")
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "accesslog": "-",
                "timeout": 120,
            }
        ).run()
