from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_as_of_output import AccountAsOfOutput
from ...models.error_output import ErrorOutput
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: UUID,
    *,
    at: str | Unset = UNSET,
    version: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["at"] = at

    params["version"] = version

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/accounts/{account_id}/as-of/".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountAsOfOutput | ErrorOutput | None:
    if response.status_code == 200:
        response_200 = AccountAsOfOutput.from_dict(response.json())

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
) -> Response[AccountAsOfOutput | ErrorOutput]:
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
    at: str | Unset = UNSET,
    version: int | Unset = UNSET,
) -> Response[AccountAsOfOutput | ErrorOutput]:
    """An account's state as of a version or an instant

     The account's state as of a version or an instant, folded from its events.

    Args:
        account_id (UUID):
        at (str | Unset):
        version (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountAsOfOutput | ErrorOutput]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        at=at,
        version=version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    at: str | Unset = UNSET,
    version: int | Unset = UNSET,
) -> AccountAsOfOutput | ErrorOutput | None:
    """An account's state as of a version or an instant

     The account's state as of a version or an instant, folded from its events.

    Args:
        account_id (UUID):
        at (str | Unset):
        version (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountAsOfOutput | ErrorOutput
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        at=at,
        version=version,
    ).parsed


async def asyncio_detailed(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    at: str | Unset = UNSET,
    version: int | Unset = UNSET,
) -> Response[AccountAsOfOutput | ErrorOutput]:
    """An account's state as of a version or an instant

     The account's state as of a version or an instant, folded from its events.

    Args:
        account_id (UUID):
        at (str | Unset):
        version (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountAsOfOutput | ErrorOutput]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        at=at,
        version=version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    at: str | Unset = UNSET,
    version: int | Unset = UNSET,
) -> AccountAsOfOutput | ErrorOutput | None:
    """An account's state as of a version or an instant

     The account's state as of a version or an instant, folded from its events.

    Args:
        account_id (UUID):
        at (str | Unset):
        version (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountAsOfOutput | ErrorOutput
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            at=at,
            version=version,
        )
    ).parsed
