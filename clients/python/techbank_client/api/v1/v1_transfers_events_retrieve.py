from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.transfer_history_output import TransferHistoryOutput
from ...types import Response


def _get_kwargs(
    transfer_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/transfers/{transfer_id}/events/".format(
            transfer_id=quote(str(transfer_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | TransferHistoryOutput | None:
    if response.status_code == 200:
        response_200 = TransferHistoryOutput.from_dict(response.json())

        return response_200

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
) -> Response[ErrorOutput | TransferHistoryOutput]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorOutput | TransferHistoryOutput]:
    """A transfer's event history

     Read from the event store, not the read model: every event at once (a transfer has at most six),
    each with `metadata`: the request's caller as `actor` for TransferRequested, `system:run_transfers`
    for the saga's steps, the requesting X-Request-ID as `correlation_id`, and as `causation_id` the
    command's id or the transfer event the step reacted to.

    Args:
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | TransferHistoryOutput]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ErrorOutput | TransferHistoryOutput | None:
    """A transfer's event history

     Read from the event store, not the read model: every event at once (a transfer has at most six),
    each with `metadata`: the request's caller as `actor` for TransferRequested, `system:run_transfers`
    for the saga's steps, the requesting X-Request-ID as `correlation_id`, and as `causation_id` the
    command's id or the transfer event the step reacted to.

    Args:
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | TransferHistoryOutput
    """

    return sync_detailed(
        transfer_id=transfer_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorOutput | TransferHistoryOutput]:
    """A transfer's event history

     Read from the event store, not the read model: every event at once (a transfer has at most six),
    each with `metadata`: the request's caller as `actor` for TransferRequested, `system:run_transfers`
    for the saga's steps, the requesting X-Request-ID as `correlation_id`, and as `causation_id` the
    command's id or the transfer event the step reacted to.

    Args:
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | TransferHistoryOutput]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ErrorOutput | TransferHistoryOutput | None:
    """A transfer's event history

     Read from the event store, not the read model: every event at once (a transfer has at most six),
    each with `metadata`: the request's caller as `actor` for TransferRequested, `system:run_transfers`
    for the saga's steps, the requesting X-Request-ID as `correlation_id`, and as `causation_id` the
    command's id or the transfer event the step reacted to.

    Args:
        transfer_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | TransferHistoryOutput
    """

    return (
        await asyncio_detailed(
            transfer_id=transfer_id,
            client=client,
        )
    ).parsed
