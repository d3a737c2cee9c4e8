from django.contrib import admin
from django.urls import include, path

from coopchain import views
from coopchain.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("coopchain.accounts.urls")),
    path("", include("coopchain.parties.urls")),
    path("plots/", include("coopchain.land.urls")),
    path("diary/", include("coopchain.diary.urls")),
    path("dairy/", include("coopchain.dairy.urls")),
    path("compliance/", include("coopchain.compliance.urls")),
    path("contracts/", include("coopchain.contracts.urls")),
    path("monitoring/", include("coopchain.monitoring.urls")),
    path("api/v1/", api.urls),
    path("epcis/", include("coopchain.trace.epcis_urls")),
    path("trace/", include("coopchain.trace.urls")),
    path("", include("coopchain.trace.resolver_urls")),
    path("admin/", admin.site.urls),
]
