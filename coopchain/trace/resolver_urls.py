"""GS1 Digital Link and platform lot URIs, at the root of the site as printed in QR codes."""

from django.urls import re_path

from coopchain.trace import views

app_name = "resolver"
urlpatterns = [
    re_path(
        r"^01/(?P<gtin>\d{8,14})/(?P<qualifier>10|21)/(?P<value>.+?)/?$",
        views.resolve_gtin,
        name="resolve_gtin",
    ),
    re_path(r"^00/(?P<sscc>\d{18})/?$", views.resolve_sscc, name="resolve_sscc"),
    re_path(r"^l/(?P<code>[0-9A-Za-z]{10})/?$", views.resolve_platform, name="resolve_platform"),
    re_path(
        r"^l/(?P<code>[0-9A-Za-z]{10})/qr\.(?P<fmt>svg|png)$",
        views.public_qr,
        name="public_qr",
    ),
]
