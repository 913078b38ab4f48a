from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("accounts_query", "ReplayEpoch").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("accounts_query", "0002_roles")]

    operations = [
        migrations.CreateModel(
            name="ReplayEpoch",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("epoch", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
