"""The tellers and auditors groups, and the write side's permissions in them (kernel/roles.py)."""

from django.db import migrations

from kernel import roles


def grant(apps, schema_editor):
    roles.grant(apps, "accounts_command")


def revoke(apps, schema_editor):
    roles.revoke(apps, "accounts_command")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts_command", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
