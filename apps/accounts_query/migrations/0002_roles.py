"""Both roles may read the account read models."""

from django.db import migrations

GROUPS = ["tellers", "auditors"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts_query", model="account")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_account", defaults={"name": "Can view account"}
    )
    for name in GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*group.permissions.filter(codename="view_account"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts_query", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
