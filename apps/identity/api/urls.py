"""The identity context's routes: users and API clients, their commands and their reads."""

from django.urls import path

from . import events, views

app_name = "identity"

USER = "users/<str:user_id>/"
CLIENT = "api-clients/<str:user_id>/"

urlpatterns = [
    path("users/", views.UserListApi.as_view(), name="user-list"),
    path(USER, views.UserDetailApi.as_view(), name="user-detail"),
    path(USER + "password/", views.ChangePasswordApi.as_view(), name="user-password"),
    path(USER + "suspend/", views.SuspendUserApi.as_view(), name="user-suspend"),
    path(USER + "reinstate/", views.ReinstateUserApi.as_view(), name="user-reinstate"),
    path(USER + "events/", events.UserEventsApi.as_view(), name="user-events"),
    path("api-clients/", views.ApiClientListApi.as_view(), name="api-client-list"),
    path(
        CLIENT + "rotate-secret/",
        views.RotateClientSecretApi.as_view(),
        name="api-client-rotate-secret",
    ),
    path(CLIENT + "revoke/", views.RevokeApiClientApi.as_view(), name="api-client-revoke"),
]
