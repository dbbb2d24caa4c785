"""Stories in the editor workspace: rename, merge the selected, split articles out or move
them to another story.

Every change goes through `desk.stories` (merge_stories, split_story, rename_story; a move
is a split then a merge, `desk.story_moves`), which keeps it on the rows so that later
articles — in any worker process — respect it.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from newsdesk.desk import models
from newsdesk.desk.admin_media import DeskMedia
from newsdesk.desk.stories import merge_stories, rename_story, split_story
from newsdesk.desk.story_moves import move_articles


class SplitForm(forms.ModelForm):
    split_out = forms.BooleanField(required=False, label="Split out",
                                   help_text="Move into a new story of its own (with its copies).")
    move_to = forms.ModelChoiceField(queryset=models.Story.objects.all(), required=False,
                                     label="Move to story", widget=forms.NumberInput(attrs={"min": 1}),
                                     help_text="The number of another story to move it to (with its copies).")

    class Meta:
        model = models.Article
        fields: list[str] = []


class StoryArticleInline(admin.TabularInline):
    """The story's coverage; tick 'Split out' on articles that belong to another event."""

    model = models.Article
    form = SplitForm
    template = "admin/desk/edit_inline/tabular.html"
    fk_name = "story"
    fields = ("title", "source", "published_at", "duplicate_of", "split_out", "move_to")
    readonly_fields = ("title", "source", "published_at", "duplicate_of")
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    ordering = ("published_at", "pk")


@admin.register(models.Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "coverage", "created_at", "updated_at")
    search_fields = ("title", "editor_title")
    fields = ("title", "editor_title", "created_at", "updated_at")
    readonly_fields = ("title", "created_at", "updated_at")
    inlines = [StoryArticleInline]
    actions = ["merge_stories"]
    Media = DeskMedia

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="articles", ordering="n_articles")
    def coverage(self, obj):
        """The story's articles in the article list, to hide, publish or pick them there."""
        url = reverse("admin:desk_article_changelist") + f"?story__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.n_articles)

    def save_model(self, request, obj, form, change):
        if change and "editor_title" in form.changed_data:
            rename_story(obj, obj.editor_title)
        else:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not models.Article:
            return super().save_formset(request, form, formset, change)
        chosen = [f.instance for f in formset.forms if f.cleaned_data.get("split_out")]
        moves: dict[models.Story, list[models.Article]] = {}
        for f in formset.forms:
            target = f.cleaned_data.get("move_to")
            if target is not None and not f.cleaned_data.get("split_out"):
                moves.setdefault(target, []).append(f.instance)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if chosen:  # nothing else in the inline is editable
            new = split_story(form.instance, chosen)
            self.message_user(request, f"Split {len(chosen)} article(s) into story {new.pk} "
                                       f"({new}); later versions of them stay there.")
        for target, articles in moves.items():
            try:
                into = move_articles(form.instance, articles, target)
            except ValueError as refused:
                self.message_user(request, f"Not moved: {refused}.", messages.WARNING)
                continue
            self.message_user(request, f"Moved {len(articles)} article(s) to story {into.pk} ({into}); "
                                       "later versions of them stay there.", messages.SUCCESS)

    @admin.action(description="Merge into the selected story with the most coverage")
    def merge_stories(self, request, queryset):
        ranked = list(queryset.order_by("-n_articles", "pk"))
        if len(ranked) < 2:
            self.message_user(request, "Select two or more stories to merge.", messages.WARNING)
            return
        into = merge_stories(ranked[0], ranked[1:])
        self.message_user(request, f"Merged {len(ranked) - 1} stories into {into}; "
                                   "later articles of any of them go there.")
