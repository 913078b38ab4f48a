"""GET /api/v1/users/{id}/events/: the user's audit trail, each event with who caused it.

What was done to the user (the events of its own stream) and by it (every event of any
aggregate, accounts and transfers too, whose metadata names it as the actor), oldest first, in
cursor pages. It is read from the actors' trail (identity.ActorAction), which `project_users`
keeps from the user, account and transfer topics and `replay_events` rebuilds: eventually
consistent, like the other read models (an event appears once it is projected). Every item
carries `metadata` with its `actor`, `correlation_id` and `causation_id` (null for events
stored before they were recorded).
"""

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api_platform.event_history import LEGACY
from api_platform.pages import TimeCursorPagination

from ..domain.user_message import METADATA_HEADERS
from ..models import ActorAction, UserIdentity
from .errors import user_not_found
from .identity_view import IdentityView, parse_user_id
from .outputs import TrailItemOutput
from .schema import TRAIL_ERRORS


class TrailPagination(TimeCursorPagination):
    # Oldest first; the event id tells apart two events stored in the same microsecond.
    ordering = ("timestamp", "event_id")
    page_size_query_description = "Events per page: 1 to 100 (default 20); else a 400."


def trail_item(row: ActorAction, user: str) -> dict[str, Any]:
    return {
        "event_id": row.event_id,
        "event_type": row.event_type,
        "aggregate_type": row.aggregate_type,
        "aggregate_id": row.aggregate_id,
        "version": row.version,
        "timestamp": row.timestamp,
        "done_to": row.aggregate_id == user,
        "done_by": row.actor == user,
        # Every key is always there: null where the event has none (stored before issue 19).
        "metadata": {name: row.metadata.get(name) for name in METADATA_HEADERS},
    }


class UserEventsApi(IdentityView):
    serializer_class = TrailItemOutput
    pagination_class = TrailPagination
    queryset = ActorAction.objects.none()  # for the schema's path parameter

    def trail(self, user: str) -> QuerySet[ActorAction]:
        return ActorAction.objects.filter(Q(aggregate_id=user) | Q(actor=user))

    @extend_schema(
        responses={200: TrailItemOutput(many=True), **TRAIL_ERRORS},
        summary="A user's audit trail: what was done to it and by it",
        description="Oldest first (timestamp, event_id), cursor-paginated (`next`, "
        "`previous`, `results`), 20 per page, `page_size` 1-100. Projected from every "
        f"aggregate's events by `project_users`: eventually consistent. Metadata is {LEGACY}.",
    )
    def get(self, request: Request, user_id: str) -> Response:
        wanted = parse_user_id(user_id)
        if not UserIdentity.objects.filter(id=wanted).exists():
            raise user_not_found(user_id)
        user = str(wanted)
        rows = self.paginate_queryset(self.trail(user))
        assert rows is not None  # every page has a size
        items = TrailItemOutput([trail_item(row, user) for row in rows], many=True).data
        return self.get_paginated_response(items)
