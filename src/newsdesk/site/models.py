"""What the reader signal keeps to tell readers apart, and nothing more.

A read is counted once per reader and article a day (``site.reads``). To know that, the
desk keeps a *mark*: a keyed hash of the reader's network address, browser and the
article, under a random salt of the day. The article is inside the hash and nowhere
else, so marks cannot be grouped into what one reader read (no reading profile), and
once a salt is deleted (after two days) no one, the operator included, can tell whose
mark is whose. Marks expire with their window and are deleted.
"""

from __future__ import annotations

from django.db import models


class ReadSalt(models.Model):
    """The day's random salt, shared by every server process; deleted after two days."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)


class ReadMark(models.Model):
    """One counted read (a reader and an article), or one address's readers of an article
    (``uses``), until ``expires_at``."""

    key = models.CharField(max_length=32, primary_key=True)
    uses = models.PositiveIntegerField(default=1)
    expires_at = models.DateTimeField(db_index=True)
