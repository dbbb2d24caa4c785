"""The editor workspace: Django's admin, login required, with the desk's actions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from newsdesk.desk import models
from newsdesk.desk.entities import merge_entities
from newsdesk.desk.ingest import reprocess_capture
from newsdesk.desk.refresh import refresh_feed
from newsdesk.desk.search import any_status_sql, with_entity_names
from newsdesk.pipeline.search_query import BadQuery
from newsdesk.pipeline.search_query import parse as parse_query

admin.site.site_header = "Newsdesk — editor workspace"
admin.site.site_title = "Newsdesk"
admin.site.index_title = "Desk"

READS_DAYS = 7  # the week Must read's most-read fallback counts (site.blocks.MOST_READ_DAYS)


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "homepage", "is_agency")
    list_filter = ("is_agency",)
    search_fields = ("name", "homepage")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("__str__", "url", "active", "last_status", "error_count", "last_polled_at", "next_poll_at")
    list_filter = ("active", "last_status")
    search_fields = ("url", "title")
    readonly_fields = ("etag", "last_modified", "last_polled_at", "last_status", "last_error", "error_count")
    actions = ["refresh_now", "pause", "resume"]

    @admin.action(description="Refresh now")
    def refresh_now(self, request, queryset):
        for feed in queryset:
            rr = refresh_feed(feed)
            level = messages.ERROR if rr.status == "failed" else messages.INFO
            self.message_user(request, f"{feed}: {rr.status}, {len(rr.items)} new {rr.error}", level)

    @admin.action(description="Pause polling")
    def pause(self, request, queryset):
        queryset.update(active=False)

    @admin.action(description="Resume polling")
    def resume(self, request, queryset):
        queryset.update(active=True, next_poll_at=timezone.now())


class ArticlePlaceInline(admin.TabularInline):
    model = models.ArticlePlace
    extra = 0
    fields = ("code", "salience", "category")
    readonly_fields = ("code", "salience", "category")
    can_delete = False


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "agency", "category", "status", "published_at", "reads")
    list_filter = ("status", "agency", "category", "source")
    search_fields = ("title", "excerpt", "url")  # the box shows; get_search_results answers it
    date_hierarchy = "created_at"
    list_select_related = ("source", "category")
    raw_id_fields = ("capture", "duplicate_of", "story")
    readonly_fields = ("content_hash", "created_at", "updated_at", "reads")
    exclude = ("term_vector", "copy_signature")
    inlines = [ArticlePlaceInline]
    actions = ["hide", "publish", "make_pick", "reset_reads"]

    def get_queryset(self, request):
        """Each article with its reads of the week Must read's most-read fallback counts:
        a subquery per listed row (the list's count leaves it out)."""
        since = timezone.now() - timedelta(days=READS_DAYS)
        week = (models.ReadCount.objects.filter(article=OuterRef("pk"), hour__gte=since)
                .order_by().values("article").annotate(n=Sum("count")).values("n"))
        return super().get_queryset(request).annotate(reads_week=Coalesce(Subquery(week), 0))

    @admin.display(description=f"reads ({READS_DAYS} days)", ordering="reads_week")
    def reads(self, obj):
        return getattr(obj, "reads_week", 0)

    def get_search_results(self, request, queryset, search_term):
        """The readers' full-text index, names under all their aliases, over every status;
        a pasted address still finds its article. Django's own LIKE scan over title and
        excerpt reads every row: seconds at a hundred thousand articles."""
        if not search_term.strip():
            return queryset, False
        if search_term.strip().startswith(("http://", "https://", "file://")):
            return queryset.filter(url__icontains=search_term.strip()), False
        try:
            terms, _ = with_entity_names(parse_query(search_term))
        except BadQuery:
            return super().get_search_results(request, queryset, search_term)
        sql, params = any_status_sql(terms)
        return queryset.filter(pk__in=RawSQL(sql, params)), False

    def save_model(self, request, obj, form, change):
        if change and "category" in form.changed_data:
            obj.category_locked = True  # an editor's filing survives reprocessing
        super().save_model(request, obj, form, change)

    @admin.action(description="Hide from readers")
    def hide(self, request, queryset):
        queryset.update(status=models.Article.Status.HIDDEN)

    @admin.action(description="Publish")
    def publish(self, request, queryset):
        queryset.update(status=models.Article.Status.PUBLISHED)

    @admin.action(description="Reset read count")
    def reset_reads(self, request, queryset):
        """Start the articles' read counts again from nothing (a count an editor knows to
        be bought, say); readers counted today are not counted again before tomorrow."""
        deleted, _ = models.ReadCount.objects.filter(article__in=queryset.values("pk")).delete()
        self.message_user(request, f"Read counts reset ({deleted} hourly counts deleted).")

    @admin.action(description="Add to Must read")
    def make_pick(self, request, queryset):
        start = models.Pick.objects.count()
        for i, article in enumerate(queryset):
            models.Pick.objects.create(article=article, position=start + i)


@admin.register(models.Pick)
class PickAdmin(admin.ModelAdmin):
    list_display = ("article", "position", "expires_at", "created_at")
    list_editable = ("position", "expires_at")
    raw_id_fields = ("article",)


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code", "position")
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Capture)
class CaptureAdmin(admin.ModelAdmin):
    list_display = ("pk", "url", "origin", "status", "reason", "fetched_at")
    list_filter = ("status", "origin", "reason")
    search_fields = ("url", "sha256")
    exclude = ("content",)
    readonly_fields = [f.name for f in models.Capture._meta.fields if f.name != "content"]
    actions = ["reprocess"]

    @admin.action(description="Re-run extraction and filing")
    def reprocess(self, request, queryset):
        for capture in queryset:
            r = reprocess_capture(capture)
            self.message_user(request, f"capture {capture.pk}: {r.status} {r.reason}")


@admin.register(models.Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "aliases")
    list_filter = ("kind",)
    search_fields = ("name",)
    actions = ["merge"]

    @admin.action(description="Merge into the most mentioned of the selected")
    def merge(self, request, queryset):
        from django.db.models import Count

        ranked = list(queryset.annotate(n=Count("mentions")).order_by("-n", "pk"))
        if len(ranked) < 2:
            self.message_user(request, "Select two or more entities to merge.", messages.WARNING)
            return
        merge_entities(ranked[0], ranked[1:])
        self.message_user(request, f"Merged {len(ranked) - 1} into {ranked[0].name}; later ingests keep it.")


@admin.register(models.EntityDecision)
class EntityDecisionAdmin(admin.ModelAdmin):
    """Merges and splits that later ingests respect. Add a split here: 'alias' is not 'target'."""

    list_display = ("__str__", "kind", "created_at")
    list_filter = ("kind",)


from newsdesk.desk import story_admin  # noqa: E402,F401  (stories: merge, split, rename)
