"""The API's roles and what each may do: defined here once.

A role is a Django group; its rights are model permissions. The migrations create them from
this table, `create_api_client --role` puts a client in one, and the views require them.
"""

from typing import Any

EXECUTE_COMMANDS = "accounts_command.execute_commands"
VIEW_EVENTS = "accounts_command.view_events"
VIEW_ACCOUNTS = "accounts_query.view_account"
VIEW_STATEMENTS = "accounts_query.view_statementline"
VIEW_USERS = "identity.view_useridentity"
MANAGE_USERS = "identity.manage_users"

# "app_label.codename" -> (human name, the model that carries it)
PERMISSIONS = {
    EXECUTE_COMMANDS: ("Can run account commands", "commandaccess"),
    VIEW_EVENTS: ("Can read an account's event history", "commandaccess"),
    VIEW_ACCOUNTS: ("Can view account", "account"),
    VIEW_STATEMENTS: ("Can view statement line", "statementline"),
    VIEW_USERS: ("Can view user identity", "useridentity"),
    MANAGE_USERS: ("Can register and change users and API clients", "useridentity"),
}

# role (as `create_api_client --role` names it) -> group
ROLES = {"administrator": "administrators", "teller": "tellers", "auditor": "auditors"}
# group -> its permissions: tellers run commands and read everything; auditors only read, and
# may look up who a history's actor is; administrators manage users and API clients and
# nothing else (separation of duties: they run no account command and read no account).
GRANTS = {
    "administrators": (VIEW_USERS, MANAGE_USERS),
    "tellers": (EXECUTE_COMMANDS, VIEW_EVENTS, VIEW_ACCOUNTS, VIEW_STATEMENTS),
    "auditors": (VIEW_EVENTS, VIEW_ACCOUNTS, VIEW_STATEMENTS, VIEW_USERS),
}

# OAuth2 scopes (CQRS: reading and writing are separate rights of a token). An OAuth2 request
# needs both its client's role permission and the token's scope.
READ_SCOPE = "accounts:read"
WRITE_SCOPE = "accounts:write"
USERS_READ_SCOPE = "users:read"
USERS_WRITE_SCOPE = "users:write"
SCOPES = {
    READ_SCOPE: "Read accounts, event histories and statements",
    WRITE_SCOPE: "Run account commands",
    USERS_READ_SCOPE: "Read users, API clients and their audit trails",
    USERS_WRITE_SCOPE: "Register and change users and API clients",
}
# group -> the scopes its clients may request (and get when they name none).
GROUP_SCOPES = {
    "administrators": (USERS_READ_SCOPE, USERS_WRITE_SCOPE),
    "tellers": (READ_SCOPE, WRITE_SCOPE),
    "auditors": (READ_SCOPE, USERS_READ_SCOPE),
}


def scopes_of(user: Any) -> list[str]:
    """The scopes a user's roles allow, in SCOPES' order; none for a missing or inactive user."""
    if user is None or not user.is_active:
        return []
    groups = set(user.groups.values_list("name", flat=True))
    allowed = {scope for group in groups for scope in GROUP_SCOPES.get(group, ())}
    return [scope for scope in SCOPES if scope in allowed]


def grant(apps: Any, app_label: str) -> None:
    """Creates the groups and gives them this app's permissions (for a data migration, whose
    `apps` are the historical models; also used by tests that empty the tables)."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    for permission_name, (name, model) in PERMISSIONS.items():
        label, codename = permission_name.split(".")
        if label != app_label:
            continue
        content_type, _ = content_type_model.objects.get_or_create(app_label=label, model=model)
        permission, _ = permission_model.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        for group_name, granted in GRANTS.items():
            if permission_name in granted:
                group_model.objects.get_or_create(name=group_name)[0].permissions.add(permission)


def revoke(apps: Any, app_label: str) -> None:
    group_model = apps.get_model("auth", "Group")
    codenames = [p.split(".")[1] for p in PERMISSIONS if p.startswith(f"{app_label}.")]
    for group in group_model.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label=app_label, codename__in=codenames)
        )
