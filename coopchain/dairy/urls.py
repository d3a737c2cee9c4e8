from django.urls import path

from coopchain.dairy import views

# No route edits or deletes a delivery: a correction is a new delivery.
app_name = "dairy"
urlpatterns = [
    path("", views.index, name="index"),
    path("collect", views.collect, name="collect"),
    path("collect/members", views.member_options, name="member_options"),
    path("deliveries/<int:delivery_id>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:delivery_id>/correct", views.correct_delivery, name="correct_delivery"),
    path("attention/", views.attention, name="attention"),
    path("bulk-lots/", views.bulk_lots, name="bulk_lots"),
    path("bulk-lots/<int:bulk_lot_id>/", views.bulk_lot_detail, name="bulk_lot_detail"),
    path("bills/", views.bills, name="bills"),
    path("bills/<int:bill_id>/", views.bill_detail, name="bill_detail"),
    path("bills/export", views.bills_export, name="bills_export"),
    path("rate-charts/", views.rate_charts, name="rate_charts"),
    path("rate-charts/new", views.rate_chart_new, name="rate_chart_new"),
    path("rate-charts/<int:chart_id>/", views.rate_chart_edit, name="rate_chart_edit"),
    path(
        "deliveries/<int:delivery_id>/lab-test", views.delivery_lab_test, name="delivery_lab_test"
    ),
    path("bulk-lots/<int:bulk_lot_id>/lab-test", views.bulk_lot_lab_test, name="bulk_lot_lab_test"),
    path("deductions/", views.deductions, name="deductions"),
]
