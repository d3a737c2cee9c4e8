from django.urls import path

from coopchain.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("province/", views.province, name="province"),
    path("province.xlsx", views.province_export, name="province_export"),
    path("province/communes/<str:ward_code>/", views.commune, name="commune"),
    path(
        "cooperatives/<int:organization_id>/",
        views.cooperative,
        name="cooperative",
    ),
    path(
        "cooperatives/<int:organization_id>/report",
        views.submit_report,
        name="submit_report",
    ),
]
