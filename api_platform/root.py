"""The API root: where a newcomer (or a browser at http://localhost:8000/) starts."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView


class ApiRoot(APIView):
    """TechBank's entry points: every route under /api/v1/, a path parameter written `{id}`
    (tests/api/test_root.py holds it to the URL resolver). Commands and queries need a token
    (see the README)."""

    permission_classes = [AllowAny]
    throttle_scope = "docs"

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        def url(name: str) -> str:
            return reverse(name, request=request)

        accounts = url("accounts_query:account-list")
        transfers = url("transfers:list")
        users, clients = url("identity:user-list"), url("identity:api-client-list")
        return Response(
            {
                "accounts": accounts,
                "account": f"{accounts}{{id}}/",
                "open_account": url("accounts_command:open"),
                "account_commands": [
                    f"{accounts}{{id}}/{c}/" for c in ("deposit", "withdraw", "close")
                ],
                "account_events": f"{accounts}{{id}}/events/",
                "account_as_of": f"{accounts}{{id}}/as-of/?version={{n}}",
                "account_transactions": f"{accounts}{{id}}/transactions/",
                "transfers": transfers,
                "transfer": f"{transfers}{{id}}/",
                "transfer_events": f"{transfers}{{id}}/events/",
                "users": users,
                "user": f"{users}{{id}}/",
                "user_commands": [
                    f"{users}{{id}}/{c}/" for c in ("password", "suspend", "reinstate")
                ],
                "user_events": f"{users}{{id}}/events/",
                "api_clients": clients,
                "api_client_commands": [
                    f"{clients}{{id}}/{c}/" for c in ("rotate-secret", "revoke")
                ],
                "schema": url("schema"),
                "docs": url("docs"),
                "redoc": url("redoc"),
                "login": url("rest_framework:login"),
            }
        )
