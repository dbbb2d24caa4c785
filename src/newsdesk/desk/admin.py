"""The editor workspace: Django's admin, login required, with the desk's actions."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from newsdesk.desk import models, review_queue
from newsdesk.desk.admin_filters import AgencyFilter, RegionFilter, ReviewFilter
from newsdesk.desk.admin_forms import ArticleAdminForm, LabelledSplitDateTime, LinesField
from newsdesk.desk.admin_media import DeskMedia
from newsdesk.desk.article_preview import form_errors, render_preview
from newsdesk.desk.entities import merge_entities
from newsdesk.desk.entity_split import split_name
from newsdesk.desk.ingest import reprocess_capture
from newsdesk.desk.picks import add_picks
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
    """The countries the article is about, read as "Iraq (IQ, salience 0.90)"."""

    model = models.ArticlePlace
    template = "admin/desk/edit_inline/tabular.html"
    extra = 0
    fields = ("category", "code", "salience")
    readonly_fields = ("category", "code", "salience")
    can_delete = False
    verbose_name = "place"
    verbose_name_plural = "places the article is about (the first is its filing)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("title", "source", "agency", "region", "status", "published_at", "reads")
    list_filter = (ReviewFilter, "status", RegionFilter, AgencyFilter, "source")
    search_fields = ("title", "excerpt", "url")  # the box shows; get_search_results answers it
    date_hierarchy = "created_at"
    list_select_related = ("source", "category")
    raw_id_fields = ("capture", "duplicate_of")
    readonly_fields = ("content_hash", "created_at", "updated_at", "reads", "story_link", "source_breadcrumb")
    exclude = ("term_vector", "copy_signature", "breadcrumb", "story")
    inlines = [ArticlePlaceInline]
    actions = ["hide", "publish", "make_pick", "mark_reviewed", "reset_reads"]
    Media = DeskMedia

    def get_queryset(self, request):
        """Each article with its reads of the week Must read's most-read fallback counts:
        a subquery per listed row (the list's count leaves it out)."""
        since = timezone.now() - timedelta(days=READS_DAYS)
        week = (models.ReadCount.objects.filter(article=OuterRef("pk"), hour__gte=since)
                .order_by().values("article").annotate(n=Sum("count")).values("n"))
        return super().get_queryset(request).annotate(reads_week=Coalesce(Subquery(week), 0))

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/preview/", preview, name="desk_article_preview"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        """The list, with a link to the review queue and how many wait in it."""
        queue = review_queue.to_review(models.Article.objects.all())
        extra_context = {**(extra_context or {}), "review_queue_count": queue.count(),
                         "review_queue_url": f"?{ReviewFilter.parameter_name}={ReviewFilter.QUEUE}"}
        return super().changelist_view(request, extra_context)

    def lookup_allowed(self, lookup, value, request=None):
        """An entity's and a story's articles are linked from their pages."""
        if lookup in ("mentions__entity__id__exact", "story__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    def view_on_site(self, obj):
        """The reader's page; for an article readers cannot see, its preview."""
        if obj.status == models.Article.Status.PUBLISHED and not obj.duplicate_of_id:
            return obj.get_absolute_url()
        return reverse("admin:desk_article_preview", args=[obj.pk])

    def preview_view(self, request, pk: int):
        """GET: the article as saved. POST (the change form's "Preview changes"): the form's
        data applied to it, unsaved."""
        article = self.get_object(request, str(pk))
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        if request.method != "POST":
            return render_preview(request, article, unsaved=False)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        form = self.get_form(request, article, change=True)(request.POST, request.FILES, instance=article)
        if not form.is_valid():  # is_valid() applies the data to the instance; nothing is saved
            return form_errors(request, article, form)
        return render_preview(request, form.instance, unsaved=True)

    @admin.display(description="region", ordering="category__name")
    def region(self, obj):
        return obj.category.name if obj.category_id else "—"

    @admin.display(description=f"reads ({READS_DAYS} days)", ordering="reads_week")
    def reads(self, obj):
        return getattr(obj, "reads_week", 0)

    @admin.display(description="story")
    def story_link(self, obj):
        """Moved between stories on the story's page, where the clusterer follows."""
        if not obj.story_id:
            return "—"
        return format_html('<a href="{}">{}</a> (move it to another story from there)',
                           reverse("admin:desk_story_change", args=[obj.story_id]), obj.story)

    @admin.display(description="breadcrumb on the source page")
    def source_breadcrumb(self, obj):
        return " › ".join(obj.breadcrumb or []) or "—"

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

    def _set_status(self, request, queryset, status, said: str):
        """One UPDATE (the desk version's trigger moves on it, so the site shows it on the
        next request), written to the admin log so the articles leave the review queue."""
        chosen = list(queryset.select_related(None).only("pk", "title", "status"))
        changed = [a for a in chosen if a.status != status]
        models.Article.objects.filter(pk__in=[a.pk for a in changed]).update(status=status)
        review_queue.record(request.user, chosen, said)
        self.message_user(request, ngettext("%(n)d article %(said)s; readers see the change now.",
                                            "%(n)d articles %(said)s; readers see the change now.",
                                            len(changed)) % {"n": len(changed), "said": said}
                          + (f" ({len(chosen) - len(changed)} already were.)" if len(chosen) > len(changed) else ""),
                          messages.SUCCESS)

    @admin.action(description="Hide from readers")
    def hide(self, request, queryset):
        self._set_status(request, queryset, models.Article.Status.HIDDEN, "hidden")

    @admin.action(description="Publish")
    def publish(self, request, queryset):
        self._set_status(request, queryset, models.Article.Status.PUBLISHED, "published")

    @admin.action(description="Mark reviewed (leave the review queue)")
    def mark_reviewed(self, request, queryset):
        n = review_queue.record(request.user, queryset.select_related(None).only("pk", "title"), "reviewed")
        self.message_user(request, ngettext("%d article marked reviewed.", "%d articles marked reviewed.", n) % n,
                          messages.SUCCESS)

    @admin.action(description="Reset read count")
    def reset_reads(self, request, queryset):
        """Start the articles' read counts again from nothing (a count an editor knows to
        be bought, say); readers counted today are not counted again before tomorrow."""
        deleted, _ = models.ReadCount.objects.filter(article__in=queryset.values("pk")).delete()
        self.message_user(request, f"Read counts reset ({deleted} hourly counts deleted).")

    @admin.action(description="Add to Must read")
    def make_pick(self, request, queryset):
        result = add_picks(list(queryset))
        review_queue.record(request.user, result.added, "added to Must read")
        for article in result.added:
            if article in result.unseen:
                continue
            self.message_user(request, f'Added “{article.title}” to Must read.', messages.SUCCESS)
        for article in result.already:
            self.message_user(request, f'“{article.title}” is already in Must read.', messages.INFO)
        for article in result.unseen:
            self.message_user(request, f'Added “{article.title}” to Must read, but it is not published: '
                                       'readers see it there once it is.', messages.WARNING)


@admin.register(models.Pick)
class PickAdmin(admin.ModelAdmin):
    list_display = ("article", "position", "expires_at", "created_at")
    list_editable = ("position", "expires_at")
    raw_id_fields = ("article",)
    Media = DeskMedia

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "expires_at":
            kwargs["widget"] = LabelledSplitDateTime
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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


class EntityForm(forms.ModelForm):
    """The entity's names, and the editor's two decisions about it: it is another entity
    (merge into it), or one of its names is not it (split that name off)."""

    aliases = LinesField(required=False, help_text="Other names, one a line.")
    merge_into = forms.ModelChoiceField(
        queryset=models.Entity.objects.all(), required=False,
        widget=ForeignKeyRawIdWidget(models.Mention._meta.get_field("entity").remote_field, admin.site),
        label="Merge into", help_text="The number of the entity this one really is: its mentions "
                                      "and names move there, and later articles follow.")
    split_off = forms.ChoiceField(required=False, label="Split a name off",
                                  help_text="A name that is not this entity: the articles that wrote it "
                                            "are read again and get the entity it now names.")

    class Meta:
        model = models.Entity
        fields = ("name", "kind", "slug", "aliases")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = self.instance.aliases if self.instance.pk else []
        self.fields["split_off"].choices = [("", "—")] + [(n, n) for n in names]

    def clean_merge_into(self):
        into = self.cleaned_data.get("merge_into")
        if into is not None and into.pk == self.instance.pk:
            raise forms.ValidationError("An entity cannot be merged into itself.")
        return into


@admin.register(models.Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityForm
    list_display = ("name", "kind", "mention_count")
    list_filter = ("kind",)
    search_fields = ("name",)
    readonly_fields = ("mentions_list",)
    actions = ["merge"]
    Media = DeskMedia
    SHOWN_MENTIONS = 50

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ("name", "kind", "slug", "aliases")})]
        return [(None, {"fields": ("name", "kind", "slug", "aliases")}),
                ("Mentions", {"fields": ("mentions_list",)}),
                ("Merge or split", {"fields": ("merge_into", "split_off")})]

    @admin.display(description="articles")
    def mention_count(self, obj):
        return obj.mentions.count()

    @admin.display(description="articles that mention it")
    def mentions_list(self, obj):
        rows = list(obj.mentions.select_related("article").order_by("-article__created_at")[:self.SHOWN_MENTIONS])
        total = obj.mentions.count()
        every = reverse("admin:desk_article_changelist") + f"?mentions__entity__id__exact={obj.pk}"
        items = format_html_join("", '<li><a href="{}">{}</a> — {} time(s), written {}</li>', (
            (reverse("admin:desk_article_change", args=[m.article_id]), m.article.title, m.count,
             ", ".join(m.surface_forms) or obj.name) for m in rows))
        return format_html('<p><a href="{}">All {} articles in the article list</a>'
                           ' (hide, publish or pick them there).</p><ul class="desk-mentions">{}</ul>',
                           every, total, items)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            return
        name = form.cleaned_data.get("split_off")
        if name:
            again = split_name(obj, name)
            self.message_user(request, f"“{name}” is no longer a name of {obj.name}; "
                                       f"{len(again)} article(s) read again.", messages.SUCCESS)
        into = form.cleaned_data.get("merge_into")
        if into is not None:
            merge_entities(into, [obj])
            request._merged_into = into
            self.message_user(request, f"Merged {obj.name} into {into.name}; later ingests keep it.",
                              messages.SUCCESS)

    def log_change(self, request, obj, message):
        if getattr(request, "_merged_into", None) is not None:
            return None  # the row is gone; its merge is kept as an EntityDecision
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        into = getattr(request, "_merged_into", None)
        if into is not None:
            return HttpResponseRedirect(reverse("admin:desk_entity_change", args=[into.pk]))
        return super().response_change(request, obj)

    @admin.action(description="Merge into the most mentioned of the selected")
    def merge(self, request, queryset):
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
