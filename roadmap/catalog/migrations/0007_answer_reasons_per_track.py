"""An answer gives one reason per track it scores (`reasons`) and may name the only tracks that
serve it (`serves`); `reason` is kept for the level an answer implies.

Rows loaded before this migration have `loaded_values` without the new fields. They get the
column defaults, so the next `load_content` sees a file change to apply, not an admin edit to
refuse.
"""

from django.db import migrations, models


def loaded_values_forward(apps, schema_editor):
    model = apps.get_model("catalog", "AnswerOption")
    rows = [row for row in model.objects.exclude(loaded_values={}) if row.loaded_values]
    for row in rows:
        row.loaded_values = {"reasons": {}, "serves": [], **row.loaded_values}
    model.objects.bulk_update(rows, ["loaded_values"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_content_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="answeroption",
            name="reasons",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Why this answer counts for a track, per track slug.",
            ),
        ),
        migrations.AddField(
            model_name="answeroption",
            name="serves",
            field=models.JSONField(
                blank=True, default=list, help_text="The only track slugs that may be recommended."
            ),
        ),
        migrations.AlterField(
            model_name="answeroption",
            name="reason",
            field=models.TextField(blank=True, help_text="Why the level this answer implies fits."),
        ),
        migrations.RunPython(loaded_values_forward, migrations.RunPython.noop),
    ]
