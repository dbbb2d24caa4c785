from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("newsdesk.site.urls")),
]

# Unmatched URLs answer in the format asked for (JSON for `.json` or Accept: application/json).
handler404 = "newsdesk.site.views.not_found"
handler500 = "newsdesk.site.views.server_error"
