from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.transfer_input_request import TransferInputRequest
from ...models.transfer_output import TransferOutput
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TransferInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/transfers/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | TransferOutput | None:
    if response.status_code == 202:
        response_202 = TransferOutput.from_dict(response.json())

        return response_202

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

    if response.status_code == 409:
        response_409 = ErrorOutput.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorOutput.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorOutput.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorOutput.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorOutput.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorOutput | TransferOutput]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TransferInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorOutput | TransferOutput]:
    """Request a transfer between two accounts (runs asynchronously)

     202 with the transfer as requested (PENDING, version 1, its deadline) and `Location:
    /api/v1/transfers/{id}/`. The process manager then debits, credits and completes it, or fails it
    with a reason.

    Args:
        idempotency_key (str | Unset):
        body (TransferInputRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | TransferOutput]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TransferInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> ErrorOutput | TransferOutput | None:
    """Request a transfer between two accounts (runs asynchronously)

     202 with the transfer as requested (PENDING, version 1, its deadline) and `Location:
    /api/v1/transfers/{id}/`. The process manager then debits, credits and completes it, or fails it
    with a reason.

    Args:
        idempotency_key (str | Unset):
        body (TransferInputRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | TransferOutput
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TransferInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorOutput | TransferOutput]:
    """Request a transfer between two accounts (runs asynchronously)

     202 with the transfer as requested (PENDING, version 1, its deadline) and `Location:
    /api/v1/transfers/{id}/`. The process manager then debits, credits and completes it, or fails it
    with a reason.

    Args:
        idempotency_key (str | Unset):
        body (TransferInputRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | TransferOutput]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TransferInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> ErrorOutput | TransferOutput | None:
    """Request a transfer between two accounts (runs asynchronously)

     202 with the transfer as requested (PENDING, version 1, its deadline) and `Location:
    /api/v1/transfers/{id}/`. The process manager then debits, credits and completes it, or fails it
    with a reason.

    Args:
        idempotency_key (str | Unset):
        body (TransferInputRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | TransferOutput
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
