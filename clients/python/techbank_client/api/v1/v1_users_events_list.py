from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.paginated_trail_item_output_list import PaginatedTrailItemOutputList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    user_id: UUID,
    *,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/users/{user_id}/events/".format(
            user_id=quote(str(user_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | PaginatedTrailItemOutputList | None:
    if response.status_code == 200:
        response_200 = PaginatedTrailItemOutputList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorOutput.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorOutput.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorOutput.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorOutput.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorOutput.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorOutput | PaginatedTrailItemOutputList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedTrailItemOutputList]:
    """A user's audit trail: what was done to it and by it

     Oldest first (timestamp, event_id), cursor-paginated (`next`, `previous`, `results`), 20 per page,
    `page_size` 1-100. Projected from every aggregate's events by `project_users`: eventually
    consistent. Metadata is null for events stored before actors were recorded.

    Args:
        user_id (UUID):
        cursor (str | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedTrailItemOutputList]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        cursor=cursor,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> ErrorOutput | PaginatedTrailItemOutputList | None:
    """A user's audit trail: what was done to it and by it

     Oldest first (timestamp, event_id), cursor-paginated (`next`, `previous`, `results`), 20 per page,
    `page_size` 1-100. Projected from every aggregate's events by `project_users`: eventually
    consistent. Metadata is null for events stored before actors were recorded.

    Args:
        user_id (UUID):
        cursor (str | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedTrailItemOutputList
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        cursor=cursor,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedTrailItemOutputList]:
    """A user's audit trail: what was done to it and by it

     Oldest first (timestamp, event_id), cursor-paginated (`next`, `previous`, `results`), 20 per page,
    `page_size` 1-100. Projected from every aggregate's events by `project_users`: eventually
    consistent. Metadata is null for events stored before actors were recorded.

    Args:
        user_id (UUID):
        cursor (str | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedTrailItemOutputList]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        cursor=cursor,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> ErrorOutput | PaginatedTrailItemOutputList | None:
    """A user's audit trail: what was done to it and by it

     Oldest first (timestamp, event_id), cursor-paginated (`next`, `previous`, `results`), 20 per page,
    `page_size` 1-100. Projected from every aggregate's events by `project_users`: eventually
    consistent. Metadata is null for events stored before actors were recorded.

    Args:
        user_id (UUID):
        cursor (str | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedTrailItemOutputList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            cursor=cursor,
            page_size=page_size,
        )
    ).parsed
