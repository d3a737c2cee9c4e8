from django.urls import path

from coopchain.contracts import views

# No route edits a delivery, a ledger entry or an approved payment run.
app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<int:contract_id>/", views.contract_detail, name="detail"),
    path("<int:contract_id>/sign", views.sign, name="sign"),
    path("<int:contract_id>/deliver", views.deliver, name="deliver"),
    path("market-prices/", views.market_prices, name="market_prices"),
]
