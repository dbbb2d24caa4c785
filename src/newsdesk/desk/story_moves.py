"""An editor moves articles from one story to another.

Made of the desk's own story edits (``desk.stories``): the articles are split out of their
story (with their copies, pinned, as ``split_story`` does) and the new story is merged
into the target (``merge_stories``), so the clusterer's records follow and later versions
of the articles stay where the editor put them.
"""

from __future__ import annotations

from newsdesk.desk.models import Article, Story
from newsdesk.desk.stories import merge_stories, split_story, surviving


def move_articles(story: Story, articles: list[Article], target: Story) -> Story:
    """Move `articles` of `story` into `target` (the story it now lives on as, if it was
    merged away); returns that story."""
    target = surviving(target)
    if target.pk == story.pk:
        raise ValueError("the articles are in that story already")
    moved = split_story(story, articles)
    return merge_stories(target, [moved])
