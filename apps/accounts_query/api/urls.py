from django.urls import path

from . import views

app_name = "accounts_query"

urlpatterns = [
    path("accounts/", views.AccountListApi.as_view(), name="account-list"),
    path("accounts/<str:account_id>/", views.AccountDetailApi.as_view(), name="account-detail"),
]
