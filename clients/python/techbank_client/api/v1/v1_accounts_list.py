from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.paginated_account_output_list import PaginatedAccountOutputList
from ...models.v1_accounts_list_account_type import V1AccountsListAccountType
from ...models.v1_accounts_list_status import V1AccountsListStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    account_type: V1AccountsListAccountType | Unset = UNSET,
    balance_gt: float | Unset = UNSET,
    balance_lt: float | Unset = UNSET,
    cursor: str | Unset = UNSET,
    holder: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1AccountsListStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_account_type: str | Unset = UNSET
    if not isinstance(account_type, Unset):
        json_account_type = account_type.value

    params["account_type"] = json_account_type

    params["balance_gt"] = balance_gt

    params["balance_lt"] = balance_lt

    params["cursor"] = cursor

    params["holder"] = holder

    params["page_size"] = page_size

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/accounts/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | PaginatedAccountOutputList | None:
    if response.status_code == 200:
        response_200 = PaginatedAccountOutputList.from_dict(response.json())

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
) -> Response[ErrorOutput | PaginatedAccountOutputList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    account_type: V1AccountsListAccountType | Unset = UNSET,
    balance_gt: float | Unset = UNSET,
    balance_lt: float | Unset = UNSET,
    cursor: str | Unset = UNSET,
    holder: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1AccountsListStatus | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedAccountOutputList]:
    """List accounts

     All accounts, newest last, in cursor pages; filter by holder, balance range and status.

    Args:
        account_type (V1AccountsListAccountType | Unset):
        balance_gt (float | Unset):
        balance_lt (float | Unset):
        cursor (str | Unset):
        holder (str | Unset):
        page_size (int | Unset):
        status (V1AccountsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedAccountOutputList]
    """

    kwargs = _get_kwargs(
        account_type=account_type,
        balance_gt=balance_gt,
        balance_lt=balance_lt,
        cursor=cursor,
        holder=holder,
        page_size=page_size,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    account_type: V1AccountsListAccountType | Unset = UNSET,
    balance_gt: float | Unset = UNSET,
    balance_lt: float | Unset = UNSET,
    cursor: str | Unset = UNSET,
    holder: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1AccountsListStatus | Unset = UNSET,
) -> ErrorOutput | PaginatedAccountOutputList | None:
    """List accounts

     All accounts, newest last, in cursor pages; filter by holder, balance range and status.

    Args:
        account_type (V1AccountsListAccountType | Unset):
        balance_gt (float | Unset):
        balance_lt (float | Unset):
        cursor (str | Unset):
        holder (str | Unset):
        page_size (int | Unset):
        status (V1AccountsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedAccountOutputList
    """

    return sync_detailed(
        client=client,
        account_type=account_type,
        balance_gt=balance_gt,
        balance_lt=balance_lt,
        cursor=cursor,
        holder=holder,
        page_size=page_size,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    account_type: V1AccountsListAccountType | Unset = UNSET,
    balance_gt: float | Unset = UNSET,
    balance_lt: float | Unset = UNSET,
    cursor: str | Unset = UNSET,
    holder: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1AccountsListStatus | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedAccountOutputList]:
    """List accounts

     All accounts, newest last, in cursor pages; filter by holder, balance range and status.

    Args:
        account_type (V1AccountsListAccountType | Unset):
        balance_gt (float | Unset):
        balance_lt (float | Unset):
        cursor (str | Unset):
        holder (str | Unset):
        page_size (int | Unset):
        status (V1AccountsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedAccountOutputList]
    """

    kwargs = _get_kwargs(
        account_type=account_type,
        balance_gt=balance_gt,
        balance_lt=balance_lt,
        cursor=cursor,
        holder=holder,
        page_size=page_size,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    account_type: V1AccountsListAccountType | Unset = UNSET,
    balance_gt: float | Unset = UNSET,
    balance_lt: float | Unset = UNSET,
    cursor: str | Unset = UNSET,
    holder: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: V1AccountsListStatus | Unset = UNSET,
) -> ErrorOutput | PaginatedAccountOutputList | None:
    """List accounts

     All accounts, newest last, in cursor pages; filter by holder, balance range and status.

    Args:
        account_type (V1AccountsListAccountType | Unset):
        balance_gt (float | Unset):
        balance_lt (float | Unset):
        cursor (str | Unset):
        holder (str | Unset):
        page_size (int | Unset):
        status (V1AccountsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedAccountOutputList
    """

    return (
        await asyncio_detailed(
            client=client,
            account_type=account_type,
            balance_gt=balance_gt,
            balance_lt=balance_lt,
            cursor=cursor,
            holder=holder,
            page_size=page_size,
            status=status,
        )
    ).parsed
