from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.transfer_output import TransferOutput
from ...types import UNSET, Response, Unset


def _get_kwargs(
    transfer_id: UUID,
    *,
    min_version: int | Unset = UNSET,
    wait: float | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["min_version"] = min_version

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/transfers/{transfer_id}/".format(
            transfer_id=quote(str(transfer_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | TransferOutput | None:
    if response.status_code == 200:
        response_200 = TransferOutput.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = ErrorOutput.from_dict(response.json())

        return response_503

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
    transfer_id: UUID,
    *,
    client: AuthenticatedClient,
    min_version: int | Unset = UNSET,
    wait: float | Unset = UNSET,
) -> Response[ErrorOutput | TransferOutput]:
    """One transfer

     One transfer from the read model; `min_version` waits for the request's own row.

    Args:
        transfer_id (UUID):
        min_version (int | Unset):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | TransferOutput]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
        min_version=min_version,
        wait=wait,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient,
    min_version: int | Unset = UNSET,
    wait: float | Unset = UNSET,
) -> ErrorOutput | TransferOutput | None:
    """One transfer

     One transfer from the read model; `min_version` waits for the request's own row.

    Args:
        transfer_id (UUID):
        min_version (int | Unset):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | TransferOutput
    """

    return sync_detailed(
        transfer_id=transfer_id,
        client=client,
        min_version=min_version,
        wait=wait,
    ).parsed


async def asyncio_detailed(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient,
    min_version: int | Unset = UNSET,
    wait: float | Unset = UNSET,
) -> Response[ErrorOutput | TransferOutput]:
    """One transfer

     One transfer from the read model; `min_version` waits for the request's own row.

    Args:
        transfer_id (UUID):
        min_version (int | Unset):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | TransferOutput]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
        min_version=min_version,
        wait=wait,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient,
    min_version: int | Unset = UNSET,
    wait: float | Unset = UNSET,
) -> ErrorOutput | TransferOutput | None:
    """One transfer

     One transfer from the read model; `min_version` waits for the request's own row.

    Args:
        transfer_id (UUID):
        min_version (int | Unset):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | TransferOutput
    """

    return (
        await asyncio_detailed(
            transfer_id=transfer_id,
            client=client,
            min_version=min_version,
            wait=wait,
        )
    ).parsed
