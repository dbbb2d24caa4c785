"""Stories in the editor workspace."""

from django.contrib import admin

from newsdesk.desk import models


@admin.register(models.Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_at", "updated_at")
    search_fields = ("title", "editor_title")
