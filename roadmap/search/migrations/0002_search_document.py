"""Store each entry's full-text document, under a GIN index, on PostgreSQL.

SQLite keeps the column empty and has no GIN index, so both steps below run on PostgreSQL only.
"""

import django.contrib.postgres.search
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = "search_entry_document_gin"


def fill_and_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchEntry.objects.update(
        document=SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english")
        + SearchVector("title", weight="A", config="simple")
        + SearchVector("body", weight="B", config="simple")
    )
    table = schema_editor.quote_name(SearchEntry._meta.db_table)
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin (document)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_and_index, drop_index),
    ]
