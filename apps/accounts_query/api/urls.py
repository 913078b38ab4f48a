"""The read side's routes: the account list, an account, its statement."""

from django.urls import path

from . import statement, views

app_name = "accounts_query"

urlpatterns = [
    path("accounts/", views.AccountListApi.as_view(), name="account-list"),
    path("accounts/<str:account_id>/", views.AccountDetailApi.as_view(), name="account-detail"),
    path(
        "accounts/<str:account_id>/transactions/",
        statement.StatementApi.as_view(),
        name="account-transactions",
    ),
]
