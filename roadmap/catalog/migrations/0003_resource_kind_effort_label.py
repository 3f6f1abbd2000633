"""Courses and reading get a kind and an effort in hours; a stage's link to one gets a label.

Rows loaded before this migration have `loaded_values` without the new fields (and stage links
stored as bare slugs). They are brought to the new shape with the column defaults, so the next
`load_content` sees a file change to apply, not an admin edit to refuse.
"""

from decimal import Decimal

from django.db import migrations, models

NEW_DEFAULTS = {"kind": "course", "effort_min": "0", "effort_max": "0"}


def loaded_values_forward(apps, schema_editor):
    for name in ("Course", "Reading"):
        model = apps.get_model("catalog", name)
        rows = [row for row in model.objects.exclude(loaded_values={}) if row.loaded_values]
        for row in rows:
            row.loaded_values = {**NEW_DEFAULTS, **row.loaded_values}
        model.objects.bulk_update(rows, ["loaded_values"], batch_size=500)
    stage_model = apps.get_model("catalog", "Stage")
    stages = []
    for stage in stage_model.objects.exclude(loaded_values={}):
        values = dict(stage.loaded_values)
        for key in ("courses", "reading"):
            if key in values:
                values[key] = [
                    item if isinstance(item, list) else [item, ""] for item in values[key]
                ]
        values.setdefault("courses_more_because", "")
        values.setdefault("reading_more_because", "")
        stage.loaded_values = values
        stages.append(stage)
    stage_model.objects.bulk_update(stages, ["loaded_values"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_content_lengths"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="kind",
            field=models.CharField(
                choices=[
                    ("course", "Course"),
                    ("book", "Book"),
                    ("article", "Article"),
                    ("docs", "Documentation"),
                    ("video", "Video"),
                    ("interactive", "Interactive"),
                ],
                default="course",
                max_length=12,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="course",
            name="effort_min",
            field=models.DecimalField(
                decimal_places=1,
                default=Decimal("0"),
                max_digits=6,
                verbose_name="effort from (hours)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="course",
            name="effort_max",
            field=models.DecimalField(
                decimal_places=1,
                default=Decimal("0"),
                max_digits=6,
                verbose_name="effort to (hours)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reading",
            name="kind",
            field=models.CharField(
                choices=[
                    ("course", "Course"),
                    ("book", "Book"),
                    ("article", "Article"),
                    ("docs", "Documentation"),
                    ("video", "Video"),
                    ("interactive", "Interactive"),
                ],
                default="course",
                max_length=12,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reading",
            name="effort_min",
            field=models.DecimalField(
                decimal_places=1,
                default=Decimal("0"),
                max_digits=6,
                verbose_name="effort from (hours)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reading",
            name="effort_max",
            field=models.DecimalField(
                decimal_places=1,
                default=Decimal("0"),
                max_digits=6,
                verbose_name="effort to (hours)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="stagecourse",
            name="label",
            field=models.CharField(
                blank=True,
                choices=[
                    ("start_here", "Start here"),
                    ("pick_one", "Pick one"),
                    ("go_deeper", "Go deeper"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="stagereading",
            name="label",
            field=models.CharField(
                blank=True,
                choices=[
                    ("start_here", "Start here"),
                    ("pick_one", "Pick one"),
                    ("go_deeper", "Go deeper"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="stage",
            name="courses_more_because",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="stage",
            name="reading_more_because",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(loaded_values_forward, migrations.RunPython.noop),
    ]
