"""The write side's routes: account commands, the event history and the as-of query."""

from django.urls import path

from . import as_of, views

app_name = "accounts_command"

urlpatterns = [
    path("accounts/open/", views.OpenAccountApi.as_view(), name="open"),
    path("accounts/<str:account_id>/deposit/", views.DepositFundsApi.as_view(), name="deposit"),
    path("accounts/<str:account_id>/withdraw/", views.WithdrawFundsApi.as_view(), name="withdraw"),
    path("accounts/<str:account_id>/close/", views.CloseAccountApi.as_view(), name="close"),
    path("accounts/<str:account_id>/events/", views.AccountEventsApi.as_view(), name="events"),
    path("accounts/<str:account_id>/as-of/", as_of.AccountAsOfApi.as_view(), name="as-of"),
]
