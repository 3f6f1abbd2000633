"""Each entry keeps the words learners type for its terms (`terms`, from search_synonyms.yaml),
part of its full-text document; and PostgreSQL gets `pg_trgm`, whose similarity finds a word
typed with a typo when nothing matches it exactly.

`CreateExtension` does nothing on other databases; SQLite searches without typo tolerance.
The documents are refilled on PostgreSQL so they cover `terms` from now on (the next content
load rebuilds the index with the terms themselves).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models


def refill_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    apps.get_model("search", "SearchEntry").objects.update(
        document=SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english")
        + SearchVector("title", weight="A", config="simple")
        + SearchVector("body", weight="B", config="simple")
        + SearchVector("terms", weight="C", config="english")
        + SearchVector("terms", weight="C", config="simple")
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_search_document")]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="searchentry",
            name="terms",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(refill_documents, migrations.RunPython.noop),
    ]
