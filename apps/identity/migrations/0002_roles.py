"""The administrators group, and the identity permissions of administrators and auditors
(kernel/roles.py)."""

from django.db import migrations

from kernel import roles


def grant(apps, schema_editor):
    roles.grant(apps, "identity")


def revoke(apps, schema_editor):
    roles.revoke(apps, "identity")


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
