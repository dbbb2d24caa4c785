"""The reader API's description (OpenAPI 3.1), served at /api/openapi.json.

The document is written by hand in ``data/openapi.yaml``, beside the code it describes,
and the tests hold every JSON twin's real answer against it, so it cannot drift from what
the site sends.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from newsdesk.site.render import conditional, json_response

SPEC = Path(__file__).resolve().parents[1] / "data" / "openapi.yaml"


@functools.cache
def document() -> dict:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@csrf_exempt  # read-only: other methods get require_safe's 405, not CSRF's 403
@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    spec = {**document(), "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}]}
    response = json_response(spec)
    response["Cache-Control"] = "public, max-age=3600"
    return conditional(request, response)
