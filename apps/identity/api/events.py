"""GET /api/v1/users/{id}/events/: the user's audit trail, each event with who caused it.

The user's own stream, as stored, in version order: what was done to it. Every item carries
`metadata` with its `actor`, `correlation_id` and `causation_id` (null for events stored before
they were recorded).
"""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.eventstore.records import StoredEvent

from ..models import UserIdentity
from . import dependencies
from .schema import TRAIL_ERRORS
from .serializers import UserEventsOutput
from .views import IdentityView, parse_user_id, user_not_found

PAGE_DEFAULT, PAGE_MAX = 50, 100
MAX_VERSION = 2**31 - 1
METADATA = ("actor", "correlation_id", "causation_id", "request_id")


class TrailQuery(serializers.Serializer):
    after = serializers.IntegerField(required=False, default=0, min_value=0, max_value=MAX_VERSION)
    limit = serializers.IntegerField(
        required=False, default=PAGE_DEFAULT, min_value=1, max_value=PAGE_MAX
    )


def item(event: StoredEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "version": event.version,
        "schema_version": event.schema_version,
        "timestamp": event.timestamp,
        "data": event.data,
        "metadata": {name: event.metadata.get(name) for name in METADATA},
    }


class UserEventsApi(IdentityView):
    serializer_class = UserEventsOutput
    queryset = UserIdentity.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Only events after this version"),
            OpenApiParameter(
                "limit",
                int,
                description=f"At most this many events (1-{PAGE_MAX}, default {PAGE_DEFAULT})",
            ),
        ],
        responses={200: UserEventsOutput, **TRAIL_ERRORS},
        summary="A user's audit trail",
    )
    def get(self, request: Request, user_id: str) -> Response:
        wanted = parse_user_id(user_id)
        query = TrailQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        if not UserIdentity.objects.filter(id=wanted).exists():
            raise user_not_found(user_id)
        events = dependencies.streams.get().read_stream(str(wanted), after, limit + 1)
        more = len(events) > limit
        events = events[:limit]
        next_url = None
        if more:
            next_url = request.build_absolute_uri(
                f"{request.path}?after={events[-1].version}&limit={limit}"
            )
        body = {"id": wanted, "events": [item(e) for e in events], "next": next_url}
        return Response(UserEventsOutput(body).data)
