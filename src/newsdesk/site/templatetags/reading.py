"""Template filters for text in the article's own language."""

from __future__ import annotations

from django import template

from newsdesk.site import languages

register = template.Library()


@register.filter
def text_dir(language: str | None) -> str:
    """``dir`` for a text in ``language``: rtl, ltr, or auto (the browser reads the text)."""
    return languages.direction(language)


@register.filter
def text_lang(language: str | None) -> str:
    """``lang`` for a text in ``language`` (its primary subtag); empty when unknown."""
    return languages.primary(language)
