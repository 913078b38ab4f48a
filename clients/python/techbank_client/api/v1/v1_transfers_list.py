from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.paginated_transfer_output_list import PaginatedTransferOutputList
from ...models.v1_transfers_list_status import V1TransfersListStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    account: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    from_account: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1TransfersListStatus | Unset = UNSET,
    to: str | Unset = UNSET,
    to_account: UUID | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_account: str | Unset = UNSET
    if not isinstance(account, Unset):
        json_account = str(account)
    params["account"] = json_account

    params["cursor"] = cursor

    params["from"] = from_

    json_from_account: str | Unset = UNSET
    if not isinstance(from_account, Unset):
        json_from_account = str(from_account)
    params["from_account"] = json_from_account

    params["page_size"] = page_size

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["to"] = to

    json_to_account: str | Unset = UNSET
    if not isinstance(to_account, Unset):
        json_to_account = str(to_account)
    params["to_account"] = json_to_account

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/transfers/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | PaginatedTransferOutputList | None:
    if response.status_code == 200:
        response_200 = PaginatedTransferOutputList.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = ErrorOutput.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorOutput | PaginatedTransferOutputList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    account: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    from_account: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1TransfersListStatus | Unset = UNSET,
    to: str | Unset = UNSET,
    to_account: UUID | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedTransferOutputList]:
    """List transfers

     Oldest first (created_at, id), cursor-paginated (`next`, `previous`, `results`), 20 per page,
    `page_size` 1-100. Filters combine (all must hold). Eventually consistent: projected from the
    transfers' events.

    Args:
        account (UUID | Unset):
        cursor (str | Unset):
        from_ (str | Unset):
        from_account (UUID | Unset):
        page_size (int | Unset):
        status (V1TransfersListStatus | Unset):
        to (str | Unset):
        to_account (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedTransferOutputList]
    """

    kwargs = _get_kwargs(
        account=account,
        cursor=cursor,
        from_=from_,
        from_account=from_account,
        page_size=page_size,
        status=status,
        to=to,
        to_account=to_account,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    account: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    from_account: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1TransfersListStatus | Unset = UNSET,
    to: str | Unset = UNSET,
    to_account: UUID | Unset = UNSET,
) -> ErrorOutput | PaginatedTransferOutputList | None:
    """List transfers

     Oldest first (created_at, id), cursor-paginated (`next`, `previous`, `results`), 20 per page,
    `page_size` 1-100. Filters combine (all must hold). Eventually consistent: projected from the
    transfers' events.

    Args:
        account (UUID | Unset):
        cursor (str | Unset):
        from_ (str | Unset):
        from_account (UUID | Unset):
        page_size (int | Unset):
        status (V1TransfersListStatus | Unset):
        to (str | Unset):
        to_account (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedTransferOutputList
    """

    return sync_detailed(
        client=client,
        account=account,
        cursor=cursor,
        from_=from_,
        from_account=from_account,
        page_size=page_size,
        status=status,
        to=to,
        to_account=to_account,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    account: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    from_account: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1TransfersListStatus | Unset = UNSET,
    to: str | Unset = UNSET,
    to_account: UUID | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedTransferOutputList]:
    """List transfers

     Oldest first (created_at, id), cursor-paginated (`next`, `previous`, `results`), 20 per page,
    `page_size` 1-100. Filters combine (all must hold). Eventually consistent: projected from the
    transfers' events.

    Args:
        account (UUID | Unset):
        cursor (str | Unset):
        from_ (str | Unset):
        from_account (UUID | Unset):
        page_size (int | Unset):
        status (V1TransfersListStatus | Unset):
        to (str | Unset):
        to_account (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedTransferOutputList]
    """

    kwargs = _get_kwargs(
        account=account,
        cursor=cursor,
        from_=from_,
        from_account=from_account,
        page_size=page_size,
        status=status,
        to=to,
        to_account=to_account,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    account: UUID | Unset = UNSET,
    cursor: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    from_account: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1TransfersListStatus | Unset = UNSET,
    to: str | Unset = UNSET,
    to_account: UUID | Unset = UNSET,
) -> ErrorOutput | PaginatedTransferOutputList | None:
    """List transfers

     Oldest first (created_at, id), cursor-paginated (`next`, `previous`, `results`), 20 per page,
    `page_size` 1-100. Filters combine (all must hold). Eventually consistent: projected from the
    transfers' events.

    Args:
        account (UUID | Unset):
        cursor (str | Unset):
        from_ (str | Unset):
        from_account (UUID | Unset):
        page_size (int | Unset):
        status (V1TransfersListStatus | Unset):
        to (str | Unset):
        to_account (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedTransferOutputList
    """

    return (
        await asyncio_detailed(
            client=client,
            account=account,
            cursor=cursor,
            from_=from_,
            from_account=from_account,
            page_size=page_size,
            status=status,
            to=to,
            to_account=to_account,
        )
    ).parsed
