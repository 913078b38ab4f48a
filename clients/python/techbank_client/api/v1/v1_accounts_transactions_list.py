import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.paginated_statement_entry_output_list import PaginatedStatementEntryOutputList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: UUID,
    *,
    cursor: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    page_size: int | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    params["page_size"] = page_size

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/accounts/{account_id}/transactions/".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | PaginatedStatementEntryOutputList | None:
    if response.status_code == 200:
        response_200 = PaginatedStatementEntryOutputList.from_dict(response.json())

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
) -> Response[ErrorOutput | PaginatedStatementEntryOutputList]:
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
    cursor: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    page_size: int | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedStatementEntryOutputList]:
    """An account's statement

     Opening balance, deposits, withdrawals and transfers, newest first; cursor-paginated (`next`,
    `previous`, `results`), 20 per page, `page_size` up to 100. Eventually consistent, like the account.

    Args:
        account_id (UUID):
        cursor (str | Unset):
        from_ (datetime.date | Unset):
        page_size (int | Unset):
        to (datetime.date | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedStatementEntryOutputList]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        cursor=cursor,
        from_=from_,
        page_size=page_size,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    page_size: int | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> ErrorOutput | PaginatedStatementEntryOutputList | None:
    """An account's statement

     Opening balance, deposits, withdrawals and transfers, newest first; cursor-paginated (`next`,
    `previous`, `results`), 20 per page, `page_size` up to 100. Eventually consistent, like the account.

    Args:
        account_id (UUID):
        cursor (str | Unset):
        from_ (datetime.date | Unset):
        page_size (int | Unset):
        to (datetime.date | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedStatementEntryOutputList
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        cursor=cursor,
        from_=from_,
        page_size=page_size,
        to=to,
    ).parsed


async def asyncio_detailed(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    page_size: int | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedStatementEntryOutputList]:
    """An account's statement

     Opening balance, deposits, withdrawals and transfers, newest first; cursor-paginated (`next`,
    `previous`, `results`), 20 per page, `page_size` up to 100. Eventually consistent, like the account.

    Args:
        account_id (UUID):
        cursor (str | Unset):
        from_ (datetime.date | Unset):
        page_size (int | Unset):
        to (datetime.date | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedStatementEntryOutputList]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        cursor=cursor,
        from_=from_,
        page_size=page_size,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    page_size: int | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
) -> ErrorOutput | PaginatedStatementEntryOutputList | None:
    """An account's statement

     Opening balance, deposits, withdrawals and transfers, newest first; cursor-paginated (`next`,
    `previous`, `results`), 20 per page, `page_size` up to 100. Eventually consistent, like the account.

    Args:
        account_id (UUID):
        cursor (str | Unset):
        from_ (datetime.date | Unset):
        page_size (int | Unset):
        to (datetime.date | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedStatementEntryOutputList
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            cursor=cursor,
            from_=from_,
            page_size=page_size,
            to=to,
        )
    ).parsed
