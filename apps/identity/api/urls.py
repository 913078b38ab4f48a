"""The identity context's routes: users and API clients, their commands and their reads."""

from django.urls import path

from . import api_client_views, events, password_view, user_status_views, user_views

app_name = "identity"

USER = "users/<str:user_id>/"
CLIENT = "api-clients/<str:user_id>/"

urlpatterns = [
    path("users/", user_views.UserListApi.as_view(), name="user-list"),
    path(USER, user_views.UserDetailApi.as_view(), name="user-detail"),
    path(USER + "password/", password_view.ChangePasswordApi.as_view(), name="user-password"),
    path(USER + "suspend/", user_status_views.SuspendUserApi.as_view(), name="user-suspend"),
    path(USER + "reinstate/", user_status_views.ReinstateUserApi.as_view(), name="user-reinstate"),
    path(USER + "events/", events.UserEventsApi.as_view(), name="user-events"),
    path("api-clients/", api_client_views.ApiClientListApi.as_view(), name="api-client-list"),
    path(
        CLIENT + "rotate-secret/",
        api_client_views.RotateClientSecretApi.as_view(),
        name="api-client-rotate-secret",
    ),
    path(
        CLIENT + "revoke/", api_client_views.RevokeApiClientApi.as_view(), name="api-client-revoke"
    ),
]
