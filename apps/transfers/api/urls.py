"""The transfers' routes: request one, list them, read one, read its history."""

from django.urls import path

from . import history, views

app_name = "transfers"

urlpatterns = [
    path("transfers/", views.TransferListApi.as_view(), name="list"),
    path("transfers/<str:transfer_id>/", views.TransferDetailApi.as_view(), name="detail"),
    path("transfers/<str:transfer_id>/events/", history.TransferEventsApi.as_view(), name="events"),
]
