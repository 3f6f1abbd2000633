import secrets

from django.db import migrations, models
from django.utils import timezone


def create_version_row(apps, schema_editor):
    apps.get_model("ops", "ContentVersion").objects.create(
        pk=1, token=secrets.token_hex(8), changed_at=timezone.now()
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=40)),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(create_version_row, migrations.RunPython.noop),
    ]
