"""Widgets of the editor workspace: fields an editor can read and fill in, not raw JSON.

- ``LinesField``: a list of names (authors, byline) as a text box, one name a line; it
  round-trips to the JSON list the article stores.
- ``LabelledSplitDateTime``: Django's split date and time inputs, each with a label of
  its own (the stock widget labels the date input only, and screen readers announce the
  time input as an unnamed field).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin import widgets as admin_widgets

from newsdesk.desk.models import Article


class LinesField(forms.Field):
    """A list of strings edited as lines of text; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value or ""

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]

    def has_changed(self, initial, data) -> bool:
        return self.to_python(initial) != self.to_python(data)


class LabelledSplitDateTime(admin_widgets.AdminSplitDateTime):
    template_name = "admin/desk/widgets/split_datetime.html"


class ArticleAdminForm(forms.ModelForm):
    authors = LinesField(required=False, help_text="One name a line, as the page gave them.")
    byline = LinesField(required=False, help_text="One name a line: the names the byline shows readers.")

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {"published_at": LabelledSplitDateTime, "updated_at": LabelledSplitDateTime,
                   "created_at": LabelledSplitDateTime}
