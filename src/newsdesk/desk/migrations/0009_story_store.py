"""The story clusterer's state in tables (desk.story_store), built here once from the
article rows, as every process used to rebuild it at start: the recent clustered
articles' records, the merged-away and editor-shaped stories."""

import django.db.models.deletion
from django.db import migrations, models

REBUILD_DAYS = 30  # what a process used to rebuild from


def build(apps, schema_editor):
    from datetime import timedelta

    from django.utils import timezone

    from newsdesk.desk.models import Article, Story
    from newsdesk.desk.stories import DESK_STORY_OPTIONS
    from newsdesk.desk.story_store import write_state
    from newsdesk.pipeline.story_state import rebuild

    since = timezone.now() - timedelta(days=REBUILD_DAYS)
    rows = (Article.objects.filter(created_at__gte=since, story__isnull=False).order_by("pk")
            .values_list("pk", "story_id", "story_record"))
    aliases = {pk: int(state["merged_into"]) for pk, state in
               Story.objects.filter(state__has_key="merged_into").values_list("pk", "state")}
    editor = Story.objects.filter(state__editor=True).values_list("pk", flat=True)
    clusterer = rebuild(((str(pk), sid, rec) for pk, sid, rec in rows.iterator() if rec.get("vec")),
                        DESK_STORY_OPTIONS, aliases, editor)
    write_state(clusterer)


class Migration(migrations.Migration):
    dependencies = [("desk", "0008_copy_band")]

    operations = [
        migrations.CreateModel(
            name="StoryCentroid",
            fields=[
                ("story", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                               related_name="centroid", serialize=False, to="desk.story")),
                ("record", models.JSONField(default=dict)),
            ],
        ),
        migrations.CreateModel(
            name="StoryTerm",
            fields=[
                ("term", models.TextField(primary_key=True, serialize=False)),
                ("df", models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="StoryPosting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("term", models.TextField(db_index=True)),
                ("story", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                            related_name="postings", to="desk.story")),
            ],
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
