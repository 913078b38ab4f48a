"""Which OAuth2 grants exist at all: authorization code with PKCE S256 (people) and client
credentials (machines). Nothing else is built into the server (OAUTH2_SERVER_CLASS).

The resource-owner password grant is not refused by a check that an application's settings
could satisfy: it is missing from the token endpoint, so `grant_type=password` is a 400
`unsupported_grant_type` (RFC 6749 section 5.2) for every client. RFC 9700 (OAuth 2.0 Security
Best Current Practice), section 2.4: the password grant MUST NOT be used; it hands the
person's password to the client, cannot carry a second factor, and trains people to type their
password into any application that asks. The implicit grant (tokens in a redirect's fragment,
RFC 9700 section 2.1.2), the device grant and refresh tokens are left out as well: a person's
access token lives OAUTH2_ACCESS_TOKEN_SECONDS, then they authorize again.
"""

from typing import Any

from oauthlib.oauth2 import Server


class TechBankServer(Server):
    GRANTS = ("authorization_code", "client_credentials")

    def __init__(self, request_validator: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(request_validator, *args, **kwargs)
        self._grant_types: dict[str, Any] = {name: self._grant_types[name] for name in self.GRANTS}
        # /o/authorize/ answers only response_type=code (no "token": implicit).
        self._response_types = {"code": self.auth_grant}
        # PKCE with S256 only: "plain" (or no method, which RFC 7636 reads as plain) is an
        # invalid_request redirected to the client before the person is even asked.
        self.auth_grant._code_challenge_methods = {
            "S256": self.auth_grant._code_challenge_methods["S256"]
        }
        self.auth_grant.refresh_token = False
