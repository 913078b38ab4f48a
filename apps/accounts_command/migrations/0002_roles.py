"""The tellers and auditors groups, and the write side's permissions in them.

Tellers run commands and read event histories; auditors only read histories. The read side's
own migration gives both groups its read permission.
"""

from django.db import migrations

PERMISSIONS = {
    "execute_commands": ("Can run account commands", ["tellers"]),
    "view_events": ("Can read an account's event history", ["tellers", "auditors"]),
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="accounts_command", model="commandaccess"
    )
    for codename, (name, groups) in PERMISSIONS.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        for group_name in groups:
            Group.objects.get_or_create(name=group_name)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="accounts_command", codename__in=PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts_command", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
