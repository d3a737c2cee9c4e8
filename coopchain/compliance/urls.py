from django.urls import path

from coopchain.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.register, name="register"),
    path("certificates/new", views.certificate_create, name="certificate_create"),
    path("certificates/<int:certificate_id>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:certificate_id>/edit", views.certificate_edit, name="certificate_edit"),
    path(
        "certificates/<int:certificate_id>/status",
        views.certificate_status,
        name="certificate_status",
    ),
    path("lots/", views.lots, name="lots"),
    path("lots/<int:lot_id>/", views.lot_compliance, name="lot_compliance"),
    path("lots/<int:lot_id>/readiness.pdf", views.lot_readiness_pdf, name="lot_readiness_pdf"),
    path("lots/<int:lot_id>/eudr", views.lot_eudr, name="lot_eudr"),
    path("statements/<int:statement_id>/", views.statement_detail, name="statement_detail"),
    path(
        "statements/<int:statement_id>/download",
        views.statement_download,
        name="statement_download",
    ),
    path("plots/<int:plot_id>/land-use", views.plot_land_use, name="plot_land_use"),
    path("risk-results/import", views.risk_import, name="risk_import"),
    path("audits/", views.audit_list, name="audit_list"),
    path("audits/<int:audit_id>/", views.audit_detail, name="audit_detail"),
]
