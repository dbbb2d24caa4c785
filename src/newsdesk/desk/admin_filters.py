"""The article list's filters, short enough to leave the list room on a laptop screen.

- ``RegionFilter``: the region tree one level at a time: the regions first, then the
  chosen one's path and its countries (the stock filter listed all 258 categories, a
  10,000 px column). A region chosen includes everything filed under it.
- ``AgencyFilter``: the agencies the desk has met, and "No agency" where the stock filter
  showed a link with no text for the blank value.
- ``ReviewFilter``: the review queue (``desk.review_queue``).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from newsdesk.desk import review_queue
from newsdesk.desk.models import Article, Category


class RegionFilter(admin.SimpleListFilter):
    title = _("region")
    parameter_name = "region"

    def _chosen(self) -> Category | None:
        value = self.value()
        if not value or not str(value).isdigit():
            return None
        return Category.objects.filter(pk=int(value)).select_related("parent").first()

    def lookups(self, request, model_admin):
        chosen = self._chosen()
        if chosen is None:
            return [(c.pk, c.name) for c in Category.objects.filter(parent__isnull=True)]
        path = chosen.ancestry()
        above = [(c.pk, " › ".join(a.name for a in path[: i + 1])) for i, c in enumerate(path)]
        below = [(c.pk, f"{chosen.name} › {c.name}") for c in chosen.children.all()]
        return above + below

    def queryset(self, request, queryset):
        chosen = self._chosen()
        if chosen is None:
            return queryset
        return queryset.filter(category_id__in=chosen.descendant_ids())


class AgencyFilter(admin.SimpleListFilter):
    title = _("agency")
    parameter_name = "agency"
    NONE = "-"

    def lookups(self, request, model_admin):
        names = (Article.objects.exclude(agency="").order_by("agency")
                 .values_list("agency", flat=True).distinct())
        return [(n, n) for n in names] + [(self.NONE, _("No agency"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(agency="" if value == self.NONE else value)


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"
    QUEUE = "queue"

    def lookups(self, request, model_admin):
        return [(self.QUEUE, _("To review (new, no editor has acted)"))]

    def queryset(self, request, queryset):
        if self.value() == self.QUEUE:
            return review_queue.to_review(queryset)
        return queryset
