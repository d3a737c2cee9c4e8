from django.urls import path

from coopchain.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("province/", views.province, name="province"),
    path("province/cooperatives/", views.province_cooperatives, name="province_cooperatives"),
    path("province.xlsx", views.province_export, name="province_export"),
    path("province.pdf", views.province_pdf, name="province_pdf"),
    path("province/communes/<str:ward_code>/", views.commune, name="commune"),
    path("province/linkage-models/", views.linkage_models, name="linkage_models"),
    path(
        "linkage-models/<int:linkage_model_id>/",
        views.linkage_model,
        name="linkage_model",
    ),
    path("province/targets/", views.targets, name="targets"),
    path("province/support/", views.support, name="support"),
    path("report-template.xlsx", views.report_template, name="report_template"),
    path(
        "cooperatives/<int:organization_id>/reports/import",
        views.import_reports,
        name="import_reports",
    ),
    path(
        "cooperatives/<int:organization_id>/",
        views.cooperative,
        name="cooperative",
    ),
    path(
        "cooperatives/<int:organization_id>/province/",
        views.cooperative_province,
        name="cooperative_province",
    ),
    path(
        "cooperatives/<int:organization_id>/report",
        views.submit_report,
        name="submit_report",
    ),
]
