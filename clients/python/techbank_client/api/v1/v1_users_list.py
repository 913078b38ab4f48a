from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_output import ErrorOutput
from ...models.paginated_user_output_list import PaginatedUserOutputList
from ...models.v1_users_list_kind import V1UsersListKind
from ...models.v1_users_list_role import V1UsersListRole
from ...models.v1_users_list_status import V1UsersListStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    kind: V1UsersListKind | Unset = UNSET,
    page_size: int | Unset = UNSET,
    role: V1UsersListRole | Unset = UNSET,
    status: V1UsersListStatus | Unset = UNSET,
    username: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params["page_size"] = page_size

    json_role: str | Unset = UNSET
    if not isinstance(role, Unset):
        json_role = role.value

    params["role"] = json_role

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["username"] = username

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/users/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorOutput | PaginatedUserOutputList | None:
    if response.status_code == 200:
        response_200 = PaginatedUserOutputList.from_dict(response.json())

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
) -> Response[ErrorOutput | PaginatedUserOutputList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    kind: V1UsersListKind | Unset = UNSET,
    page_size: int | Unset = UNSET,
    role: V1UsersListRole | Unset = UNSET,
    status: V1UsersListStatus | Unset = UNSET,
    username: str | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedUserOutputList]:
    """List users and API clients

     In username order, cursor-paginated (`next`, `previous`, `results`), 20 per page, `page_size` 1-100.
    Filters combine (all must hold).

    Args:
        cursor (str | Unset):
        kind (V1UsersListKind | Unset):
        page_size (int | Unset):
        role (V1UsersListRole | Unset):
        status (V1UsersListStatus | Unset):
        username (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedUserOutputList]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        kind=kind,
        page_size=page_size,
        role=role,
        status=status,
        username=username,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    kind: V1UsersListKind | Unset = UNSET,
    page_size: int | Unset = UNSET,
    role: V1UsersListRole | Unset = UNSET,
    status: V1UsersListStatus | Unset = UNSET,
    username: str | Unset = UNSET,
) -> ErrorOutput | PaginatedUserOutputList | None:
    """List users and API clients

     In username order, cursor-paginated (`next`, `previous`, `results`), 20 per page, `page_size` 1-100.
    Filters combine (all must hold).

    Args:
        cursor (str | Unset):
        kind (V1UsersListKind | Unset):
        page_size (int | Unset):
        role (V1UsersListRole | Unset):
        status (V1UsersListStatus | Unset):
        username (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedUserOutputList
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        kind=kind,
        page_size=page_size,
        role=role,
        status=status,
        username=username,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    kind: V1UsersListKind | Unset = UNSET,
    page_size: int | Unset = UNSET,
    role: V1UsersListRole | Unset = UNSET,
    status: V1UsersListStatus | Unset = UNSET,
    username: str | Unset = UNSET,
) -> Response[ErrorOutput | PaginatedUserOutputList]:
    """List users and API clients

     In username order, cursor-paginated (`next`, `previous`, `results`), 20 per page, `page_size` 1-100.
    Filters combine (all must hold).

    Args:
        cursor (str | Unset):
        kind (V1UsersListKind | Unset):
        page_size (int | Unset):
        role (V1UsersListRole | Unset):
        status (V1UsersListStatus | Unset):
        username (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorOutput | PaginatedUserOutputList]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        kind=kind,
        page_size=page_size,
        role=role,
        status=status,
        username=username,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    kind: V1UsersListKind | Unset = UNSET,
    page_size: int | Unset = UNSET,
    role: V1UsersListRole | Unset = UNSET,
    status: V1UsersListStatus | Unset = UNSET,
    username: str | Unset = UNSET,
) -> ErrorOutput | PaginatedUserOutputList | None:
    """List users and API clients

     In username order, cursor-paginated (`next`, `previous`, `results`), 20 per page, `page_size` 1-100.
    Filters combine (all must hold).

    Args:
        cursor (str | Unset):
        kind (V1UsersListKind | Unset):
        page_size (int | Unset):
        role (V1UsersListRole | Unset):
        status (V1UsersListStatus | Unset):
        username (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorOutput | PaginatedUserOutputList
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            kind=kind,
            page_size=page_size,
            role=role,
            status=status,
            username=username,
        )
    ).parsed
