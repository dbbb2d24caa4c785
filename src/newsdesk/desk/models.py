"""The desk's data model: sources and feeds, raw captures, articles filed in a region tree.

Captures are stored before anything else happens to them and are never edited, so every
article can be rebuilt from its capture when the pipeline improves (`newsdesk reprocess`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from newsdesk.desk.listing_time import listing_time
from newsdesk.desk.queries import ArticleQuerySet, PickQuerySet
from newsdesk.pipeline import name_keys


class Source(models.Model):
    """An outlet or an agency; articles and feeds belong to one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(max_length=1000, blank=True)
    is_agency = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A node of the region tree: a region, or a country (with its ISO 3166 code)."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=8, blank=True, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return " > ".join(c.name for c in self.ancestry())

    def ancestry(self) -> list[Category]:
        """Root first, self last: the breadcrumb."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def descendant_ids(self) -> list[int]:
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids += frontier
        return ids

    def get_absolute_url(self) -> str:
        return reverse("category_detail", args=[self.slug])


class Feed(models.Model):
    """A subscription polled on its own rhythm; its failures are written on it."""

    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    site_url = models.URLField(max_length=1000, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    category_hint = models.CharField(max_length=200, blank=True, help_text="OPML folder it came from.")
    active = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    interval_seconds = models.PositiveIntegerField(default=3600)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_status = models.CharField(max_length=40, blank=True)
    last_error = models.TextField(blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "url"]

    def __str__(self) -> str:
        return self.title or self.url


class FeedEntry(models.Model):
    """An entry seen in a feed: its identity is remembered (a tombstone) so it never comes back.

    An entry that failed (its page unreachable with nothing to fall back on, or a page that
    broke the pipeline) is remembered too, with its tries: it is polled again until it
    works or runs out of tries (``refresh.ENTRY_TRIES``).
    """

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    identity = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    seen_at = models.DateTimeField(auto_now_add=True)
    article = models.ForeignKey("Article", null=True, blank=True, on_delete=models.SET_NULL)
    failures = models.PositiveSmallIntegerField(default=0, help_text="Failed tries so far; 0 once it went through.")
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "identity"], name="feed_entry_identity")]


class Capture(models.Model):
    """Raw input exactly as accepted. Written first, in its own transaction; never edited."""

    class Status(models.TextChoices):
        PENDING = "pending"
        EXTRACTED = "extracted"
        REJECTED = "rejected"

    sha256 = models.CharField(max_length=64, unique=True)
    url = models.CharField(max_length=2000, blank=True, db_index=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=200, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    origin = models.CharField(max_length=20, default="file")  # file, url, feed, warc
    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.url or self.sha256[:12]} ({self.status})"


class Story(models.Model):
    """A developing story: coverage of one event over days."""

    title = models.CharField(max_length=300)
    editor_title = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)  # workers re-read stories changed since
    state = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.editor_title or self.title

    def get_absolute_url(self) -> str:
        return reverse("story_detail", args=[self.pk])


class Article(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published"
        HIDDEN = "hidden"

    capture = models.ForeignKey(Capture, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    url = models.CharField(max_length=2000, unique=True)
    title = models.CharField(max_length=500)
    excerpt = models.TextField(blank=True)
    body = models.TextField()
    body_html = models.TextField(blank=True)
    language = models.CharField(max_length=12, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set from published_at and created_at on every save (desk/listing_time.py): the
    # order of every listing, so an undated page ranks after its arrival day's dated news.
    listed_at = models.DateTimeField(default=timezone.now, editable=False)
    authors = models.JSONField(default=list, blank=True)
    byline = models.JSONField(default=list, blank=True)
    agency = models.CharField(max_length=100, blank=True)
    dateline_place = models.CharField(max_length=200, blank=True)
    dateline_month = models.PositiveSmallIntegerField(null=True, blank=True)
    dateline_day = models.PositiveSmallIntegerField(null=True, blank=True)
    dateline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    credits = models.TextField(blank=True)
    breadcrumb = models.JSONField(default=list, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    category_locked = models.BooleanField(default=False, help_text="Filed by an editor: reprocessing keeps it.")
    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    # Indexed only where set (Meta.indexes): "not a copy" is nearly every row, and a full
    # index made SQLite's planner take it for the published articles' filter and sort them all.
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies",
                                     db_index=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED, db_index=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    term_vector = models.JSONField(default=dict, blank=True)
    copy_signature = models.JSONField(default=list, blank=True)
    # The story clusterer's record of this article (desk/stories.py): any process rebuilds
    # its clusterer from these rows. Empty when the article was not clustered (a copy).
    story_record = models.JSONField(default=dict, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            # latest(): newest by listing time, then newest id, read in index order so a
            # listing stops at its page instead of sorting the archive
            models.Index(F("listed_at").desc(), F("id").desc(), name="article_listed_idx"),
            models.Index(fields=["duplicate_of"], condition=Q(duplicate_of__isnull=False),
                         name="article_copies_idx"),
            # A story's title is its earliest visible article's headline: one seek here
            # (desk.stories), not a read of every row of a story thousands of articles long.
            models.Index(fields=["story", "published_at", "created_at", "id"],
                         condition=Q(status="published", duplicate_of__isnull=True),
                         name="article_story_first_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.listed_at = listing_time(self.published_at, self.created_at)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"published_at", "created_at"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "listed_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("article_detail", args=[self.pk])

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]

    @property
    def when(self):
        return self.published_at or self.created_at


class CopyBand(models.Model):
    """One LSH band key of an article's copy signature (``pipeline.copies.band_keys``).

    Articles sharing a key are candidate copies: a new article's candidates are one
    indexed lookup, so no process builds an index of every stored signature.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="copy_bands")
    key = models.BigIntegerField(db_index=True)


class StoryCentroid(models.Model):
    """The story clusterer's record of one live story (``desk.story_store``): its
    articles' keys, summed term vector, name and country counts, time span and cached
    norm. A story without one takes no more articles (merged away, or emptied)."""

    story = models.OneToOneField(Story, primary_key=True, on_delete=models.CASCADE,
                                 related_name="centroid")
    record = models.JSONField(default=dict)


class StoryPosting(models.Model):
    """One heavy centroid term of a story: the clusterer's inverted index, so a new
    article's candidate stories are one indexed lookup."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="postings")
    term = models.TextField(db_index=True)


class StoryTerm(models.Model):
    """How many clustered articles carry a term (the clusterer's document frequencies).
    The row with the empty term counts the clustered articles themselves."""

    term = models.TextField(primary_key=True)
    df = models.IntegerField()


class ArticlePlace(models.Model):
    """A country an article is about, with its salience (the primary one is article.category)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="places")
    code = models.CharField(max_length=8, db_index=True)
    salience = models.FloatField()
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-salience"]
        constraints = [models.UniqueConstraint(fields=["article", "code"], name="article_place_code")]

    def __str__(self) -> str:
        name = self.category.name if self.category_id else self.code
        return f"{name} ({self.code}, salience {self.salience:.2f})"


class Entity(models.Model):
    KINDS = [("person", "person"), ("org", "organisation"), ("place", "place"), ("misc", "other")]

    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=KINDS)
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("entity_detail", args=[self.slug])


class EntityName(models.Model):
    """A key one entity answers to across articles (``pipeline.name_keys``).

    ``full``: its name (and its other long names) with spelling variants folded, so
    "Commodity Credit Corp" finds "Commodity Credit Corporation". ``short``: a bare form a
    later article may use alone: a person's surname, an organisation's initials, a short
    name an article defined for it ("… Fund (IMF)"). A bare mention joins the entity only
    when exactly one entity answers to its key.
    """

    FULL, SHORT = name_keys.FULL, name_keys.SHORT

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=5, choices=[(FULL, FULL), (SHORT, SHORT)])
    key = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key", "entity"], name="entity_name_key")]


class Mention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField(default=1)
    first_position = models.PositiveIntegerField(default=0)
    surface_forms = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["first_position"]
        constraints = [models.UniqueConstraint(fields=["article", "entity"], name="mention_article_entity")]


class Pick(models.Model):
    """An editor's Must read: ordered, and gone after its expiry."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="picks")
    position = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PickQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-created_at"]

    def __str__(self) -> str:
        return f"Must read: {self.article}"


class ReadCount(models.Model):
    """Reads per article per hour: enough for 'most read', nothing about who read."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="read_counts")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="read_count_hour")]


class EntityDecision(models.Model):
    """An editor's word on a name: `merge` makes alias a name of target; `split` says it is not.

    Kept as data so every later ingest (and `newsdesk reprocess`) applies it.
    """

    class Kind(models.TextChoices):
        MERGE = "merge"
        SPLIT = "split"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    alias = models.CharField(max_length=300)
    target = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        verb = "is" if self.kind == self.Kind.MERGE else "is not"
        return f"{self.alias} {verb} {self.target}"
