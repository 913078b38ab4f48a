"""OpenAPI links between the API's operations: which answer names the id another one takes.

drf-spectacular writes no links; this postprocessing hook adds them from one table, so a client
(and schemathesis' stateful run, tests/api/test_schemathesis.py) can follow an opened account
into its commands and reads, a requested transfer into its own page and history, and a
registered user or API client into its commands and reads. Each context's paths are the shell's
to know (techbank/urls.py mounts them), hence here.
"""

from typing import Any

ACCOUNT = "/api/v1/accounts/{account_id}/"
TRANSFER = "/api/v1/transfers/{transfer_id}/"
# Every operation that takes an account id: (path, method).
ON_AN_ACCOUNT = [
    (ACCOUNT, "get"),
    (ACCOUNT + "transactions/", "get"),
    (ACCOUNT + "events/", "get"),
    (ACCOUNT + "as-of/", "get"),
    (ACCOUNT + "deposit/", "post"),
    (ACCOUNT + "withdraw/", "post"),
    (ACCOUNT + "close/", "post"),
]
USER = "/api/v1/users/{user_id}/"
CLIENT = "/api/v1/api-clients/{user_id}/"
# Every operation that takes a user id (a person's or an API client's).
ON_A_USER = [
    (USER, "get"),
    (USER, "patch"),
    (USER, "delete"),
    (USER + "events/", "get"),
    (USER + "password/", "post"),
    (USER + "suspend/", "post"),
    (USER + "reinstate/", "post"),
]
ON_A_CLIENT = [
    (USER, "get"),
    (USER + "events/", "get"),
    (USER + "suspend/", "post"),
    (USER + "reinstate/", "post"),
    (CLIENT + "rotate-secret/", "post"),
    (CLIENT + "revoke/", "post"),
]
# (path, method, status) of an answer -> [(the field of its body, the parameter, the operations
# that take it)]
LINKS: dict[tuple[str, str, str], list[tuple[str, str, list[tuple[str, str]]]]] = {
    ("/api/v1/accounts/open/", "post", "201"): [("id", "account_id", ON_AN_ACCOUNT)],
    **{
        (ACCOUNT + name + "/", "post", "200"): [("id", "account_id", ON_AN_ACCOUNT)]
        for name in ("deposit", "withdraw", "close")
    },
    ("/api/v1/users/", "post", "201"): [("id", "user_id", ON_A_USER)],
    ("/api/v1/api-clients/", "post", "201"): [("id", "user_id", ON_A_CLIENT)],
    ("/api/v1/transfers/", "post", "202"): [
        ("id", "transfer_id", [(TRANSFER, "get"), (TRANSFER + "events/", "get")]),
        ("from_account", "account_id", ON_AN_ACCOUNT),
        ("to_account", "account_id", ON_AN_ACCOUNT),
    ],
}


def add_links(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular hook: each answer in LINKS gets a link to each operation it leads to."""
    paths = result.get("paths", {})
    for (path, method, status), leads in LINKS.items():
        response = paths.get(path, {}).get(method, {}).get("responses", {}).get(status)
        if response is None:
            continue
        links = response.setdefault("links", {})
        for field, parameter, targets in leads:
            for target_path, target_method in targets:
                target = paths.get(target_path, {}).get(target_method)
                if target is None:
                    continue
                name = f"{target['operationId']}_by_{field}"
                links[name] = {
                    "operationId": target["operationId"],
                    "parameters": {parameter: f"$response.body#/{field}"},
                }
    return result
