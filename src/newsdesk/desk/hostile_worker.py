"""One family of `newsdesk bench hostile`, in its own process: each item through the real
ingest path (`ingest_item`, what `newsdesk ingest` runs), one JSON line per item.

A line says the item's results (status and reason of each), its wall and CPU seconds
and the process's peak memory so far. An exception that escapes `ingest_item` is a crash and is
printed as such; the process then goes on with the next item. The parent reads the
lines as they come: a process that dies or goes silent is the parent's to report.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import traceback


def main(items: list[str]) -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from pathlib import Path

    from newsdesk.desk.ingest import ingest_item
    from newsdesk.desk.setup import ensure_ready

    ensure_ready()
    _warm_up()
    print(json.dumps({"ready": True}), flush=True)
    for item in items:
        target = item if item.startswith(("http://", "https://")) else Path(item)
        start, cpu = time.perf_counter(), _cpu_s()
        line: dict = {"item": item}
        try:
            line["results"] = [{"status": r.status, "reason": r.reason,
                                "message": (r.message or "")[:300]} for r in ingest_item(target)]
        except BaseException as error:  # a crash: what escaped the per-item containment
            line["crash"] = "".join(traceback.format_exception(error))[-3000:]
            if isinstance(error, KeyboardInterrupt | SystemExit):
                raise
        line["seconds"] = round(time.perf_counter() - start, 3)
        line["cpu_s"] = round(_cpu_s() - cpu, 3)
        line["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(line), flush=True)
    return 0


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _warm_up() -> None:
    """Load what every process loads once (the spaCy model, the gazetteer), so the first
    item's seconds are its own."""
    from newsdesk.desk.entities import find_mentions
    from newsdesk.pipeline.documents import Draft
    from newsdesk.pipeline.places import file_countries

    draft = Draft(title="Talks in Baghdad", paragraphs=["Officials of Iraq met in Baghdad."])
    find_mentions(draft)
    file_countries(draft.title, draft.paragraphs)


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.stdin.read())))
