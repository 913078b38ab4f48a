from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.command_output import CommandOutput
from ...models.error_output import ErrorOutput
from ...models.expected_version_input_request import ExpectedVersionInputRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: UUID,
    *,
    body: ExpectedVersionInputRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/accounts/{account_id}/close/".format(
            account_id=quote(str(account_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CommandOutput | ErrorOutput | None:
    if response.status_code == 200:
        response_200 = CommandOutput.from_dict(response.json())

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
) -> Response[CommandOutput | ErrorOutput]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ExpectedVersionInputRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[CommandOutput | ErrorOutput]:
    """Close an account (its balance must be zero)

     Closes an account whose balance is zero and that takes part in no transfer in flight.

    Args:
        account_id (UUID):
        idempotency_key (str | Unset):
        body (ExpectedVersionInputRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandOutput | ErrorOutput]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ExpectedVersionInputRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> CommandOutput | ErrorOutput | None:
    """Close an account (its balance must be zero)

     Closes an account whose balance is zero and that takes part in no transfer in flight.

    Args:
        account_id (UUID):
        idempotency_key (str | Unset):
        body (ExpectedVersionInputRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandOutput | ErrorOutput
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ExpectedVersionInputRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[CommandOutput | ErrorOutput]:
    """Close an account (its balance must be zero)

     Closes an account whose balance is zero and that takes part in no transfer in flight.

    Args:
        account_id (UUID):
        idempotency_key (str | Unset):
        body (ExpectedVersionInputRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandOutput | ErrorOutput]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ExpectedVersionInputRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> CommandOutput | ErrorOutput | None:
    """Close an account (its balance must be zero)

     Closes an account whose balance is zero and that takes part in no transfer in flight.

    Args:
        account_id (UUID):
        idempotency_key (str | Unset):
        body (ExpectedVersionInputRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandOutput | ErrorOutput
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
