"""axe-core in a real page: the browser tests inject the copy npm installed under tests/axe
(`npm ci --prefix tests/axe`, run by `make install` where npm exists) and read its verdict.
Nothing is fetched at run time; without the copy, a test that needs it skips and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def require_axe() -> str:
    """The axe-core source, or a skip that names the command that installs it."""
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is absent: npm ci --prefix tests/axe")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, *, rules: dict | None = None) -> list[dict]:
    """Run axe-core on the page as it stands and return its violations, each reduced to the
    rule id, its impact and the selectors of the offending nodes, so an assertion message
    says what to fix."""
    source = require_axe()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # add_script_tag would be refused by a strict CSP; evaluate runs in the page's
        # isolated world through the DevTools protocol, which CSP does not govern.
        page.evaluate(source)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["rules"] = rules
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    return [
        {"id": v["id"], "impact": v.get("impact"),
         "nodes": [" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                   for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
