from django.urls import path

from coopchain.contracts import payment_views, views

# No route edits a delivery, a ledger entry or an approved payment run.
app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new", views.new_contract, name="new"),
    path("<int:contract_id>/", views.contract_detail, name="detail"),
    path("<int:contract_id>/sign", views.sign, name="sign"),
    path("<int:contract_id>/deliver", views.deliver, name="deliver"),
    path("<int:contract_id>/amend", views.amend, name="amend"),
    path("<int:contract_id>/amendments/sign", views.sign_amendment, name="sign_amendment"),
    path("<int:contract_id>/receive", views.receive, name="receive"),
    path("<int:contract_id>/fulfilment", views.fulfilment, name="fulfilment"),
    path("market-prices/", views.market_prices, name="market_prices"),
    path("market-prices/import", views.market_price_import, name="market_price_import"),
    path(
        "market-prices/import/template",
        views.market_price_template,
        name="market_price_template",
    ),
    path("members/<int:member_id>/passbook", views.passbook, name="passbook"),
    path("payments/", views.payment_runs, name="payment_runs"),
    path("payments/<int:run_id>/", views.payment_run, name="payment_run"),
    path("payments/<int:run_id>/action", views.payment_run_action, name="payment_run_action"),
    path("payments/approval-rule", payment_views.approval_rule, name="payment_approval_rule"),
    path("payments/<int:run_id>/bank-file", payment_views.bank_file, name="payment_bank_file"),
    path("payments/<int:run_id>/statements", payment_views.run_statements, name="statements"),
    path(
        "members/<int:member_id>/statements/<int:run_id>",
        payment_views.member_statement,
        name="member_statement",
    ),
]
