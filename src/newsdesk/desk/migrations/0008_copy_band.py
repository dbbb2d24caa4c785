"""Copy signatures' LSH band keys in an indexed table (desk.copies), filled here for the
articles already signed."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2_000


def fill(apps, schema_editor):
    from newsdesk.desk.copies import copy_options
    from newsdesk.pipeline.copies import band_keys

    Article = apps.get_model("desk", "Article")
    CopyBand = apps.get_model("desk", "CopyBand")
    options = copy_options()
    rows = []
    signed = Article.objects.values_list("pk", "copy_signature")
    for pk, signature in signed.iterator(chunk_size=BATCH):
        if signature and len(signature) == options.num_perm:
            rows.extend(CopyBand(article_id=pk, key=k) for k in band_keys(signature, options))
        if len(rows) >= 40 * BATCH:
            CopyBand.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    CopyBand.objects.bulk_create(rows, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("desk", "0007_article_search")]

    operations = [
        migrations.CreateModel(
            name="CopyBand",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.BigIntegerField(db_index=True)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="copy_bands", to="desk.article")),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
