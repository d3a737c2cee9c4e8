from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from coopchain.errors import CoopChainError, NotFound

# Everything is served by the platform itself, so the page may load nothing from elsewhere.
# Leaflet draws map tiles from the platform too (or none), and QR codes are inline SVG.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The API docs page loads its own bundled assets inline; it sets no policy of its own.
        if not request.path.startswith("/api/v1/docs") and not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self)")
        return response


class DomainErrorMiddleware:
    """Pages raise the project's errors like services do; this turns them into pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(str(exception))
        if isinstance(exception, CoopChainError):
            return render(
                request,
                "error.html",
                {"error": exception},
                status=exception.status,
            )
        return None
