from django.urls import path, re_path

from coopchain.trace import views

app_name = "trace"
urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new", views.product_create, name="product_create"),
    path("products/<int:product_id>/edit", views.product_edit, name="product_edit"),
    path("products/<int:product_id>/delete", views.product_delete, name="product_delete"),
    path("lots/", views.lot_list, name="lot_list"),
    path("lots/labels", views.label_sheet, name="label_sheet"),
    path("lots/<int:lot_id>/", views.lot_detail, name="lot_detail"),
    path("lots/<int:lot_id>/trace/<str:direction>", views.lot_trace, name="lot_trace"),
    path("lots/<int:lot_id>/publish", views.lot_publish, name="lot_publish"),
    path("lots/<int:lot_id>/recall", views.lot_recall, name="lot_recall"),
    re_path(r"^lots/(?P<lot_id>\d+)/qr\.(?P<fmt>svg|png)$", views.lot_qr, name="lot_qr"),
    path("recalls/", views.recall_list, name="recall_list"),
    path("recalls/<int:recall_id>/", views.recall_detail, name="recall_detail"),
    re_path(
        r"^recalls/(?P<recall_id>\d+)/export\.(?P<fmt>csv|xlsx)$",
        views.recall_export,
        name="recall_export",
    ),
    path("findings/", views.finding_list, name="finding_list"),
]
