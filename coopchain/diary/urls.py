from django.urls import path

from coopchain.diary import views

# No route edits or deletes an entry: corrections and withdrawals are new entries.
app_name = "diary"
urlpatterns = [
    path("", views.index, name="index"),
    path("new", views.choose_kind, name="choose_kind"),
    path("new/<str:kind>", views.create_entry, name="create_entry"),
    path("plots/<int:plot_id>/", views.plot_diary, name="plot_diary"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:entry_id>/correct", views.correct_entry, name="correct_entry"),
    path("entries/<int:entry_id>/withdraw", views.withdraw_entry, name="withdraw_entry"),
    path("findings/", views.findings, name="findings"),
    path("products/", views.product_list, name="product_list"),
    path("products/new", views.product_create, name="product_create"),
    path("products/import", views.product_import, name="product_import"),
    path("products/import/template", views.product_template, name="product_template"),
]
