from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.user_output import UserOutput
from ...types import UNSET, Response, Unset


def _get_kwargs(
    user_id: UUID,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/api-clients/{user_id}/revoke/".format(
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | UserOutput | None:
    if response.status_code == 200:
        response_200 = UserOutput.from_dict(response.json())

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
) -> Response[ErrorOutput | UserOutput]:
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
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorOutput | UserOutput]:
    """Revoke an API client

     Status `removed`: every token, client secret and OAuth2 token of it is deleted. Never the last
    active administrator.

    Args:
        user_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | UserOutput]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> ErrorOutput | UserOutput | None:
    """Revoke an API client

     Status `removed`: every token, client secret and OAuth2 token of it is deleted. Never the last
    active administrator.

    Args:
        user_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | UserOutput
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorOutput | UserOutput]:
    """Revoke an API client

     Status `removed`: every token, client secret and OAuth2 token of it is deleted. Never the last
    active administrator.

    Args:
        user_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | UserOutput]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> ErrorOutput | UserOutput | None:
    """Revoke an API client

     Status `removed`: every token, client secret and OAuth2 token of it is deleted. Never the last
    active administrator.

    Args:
        user_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | UserOutput
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
