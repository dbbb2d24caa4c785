"""How the CLI reports items: a line (or a JSON object) each, a progress bar when many."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

PROGRESS_FROM = 20  # fewer items than this print no bar
err = Console(stderr=True)


def report_results(results: Iterable, as_json: bool = False, total_hint: int = 0) -> int:
    """Print each IngestResult as it comes; exit 1 only if nothing at all succeeded."""
    counts: Counter[str] = Counter()
    show_bar = total_hint >= PROGRESS_FROM and err.is_terminal
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=not show_bar) as bar:
        task = bar.add_task("ingesting", total=total_hint or None)
        for r in results:
            counts[r.status] += 1
            if as_json:
                print(json.dumps(r.as_dict(), ensure_ascii=False, default=str), flush=True)
            else:
                bar.console.print(_line(r), highlight=False, markup=False)
            bar.advance(task)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to do"
    err.print(f"[bold]done:[/bold] {summary}")
    failed = counts["rejected"] + counts["failed"]
    return 1 if failed and failed == sum(counts.values()) else 0


def _line(r) -> str:
    what = r.article.title if r.article is not None else r.url
    tail = f" — {r.reason}: {r.message}" if r.reason and r.status in ("rejected", "failed") else (
        f" ({r.reason})" if r.reason else "")
    ident = f"#{r.article.pk} " if r.article is not None else ""
    return f"{r.status:<12} {ident}{what}{tail}"


def print_feeds(as_json: bool = False) -> int:
    from django.db.models import Count, Q

    from newsdesk.desk.models import Feed
    from newsdesk.desk.refresh import ENTRY_TRIES

    if not Feed.objects.exists():
        print("no subscriptions yet: `newsdesk feeds add URL`, `newsdesk feeds import FILE.opml`, "
              "or `newsdesk setup` for the default list", file=sys.stderr)
    given_up = Count("entries", filter=Q(entries__failures__gte=ENTRY_TRIES))
    for f in Feed.objects.annotate(given_up=given_up).order_by("pk"):
        row = {"id": f.pk, "url": f.url, "title": f.title, "active": f.active,
               "status": f.last_status or "never polled", "last_error": f.last_error or None,
               "error_count": f.error_count, "entries_given_up": f.given_up,
               "last_poll": f.last_polled_at.isoformat() if f.last_polled_at else None,
               "next_poll": f.next_poll_at.isoformat() if f.next_poll_at else None}
        if as_json:
            print(json.dumps(row))
        else:
            err_text = f"  error: {f.last_error}" if f.last_error else ""
            if f.given_up:
                err_text += f"  ({f.given_up} entries given up: `newsdesk reprocess --pending`)"
            print(f"{f.pk:>4} {row['status']:<13} last {row['last_poll'] or '-':<32} "
                  f"next {row['next_poll']:<32} {f.url}{err_text}")
    return 0


def report_refresh(refreshed: list, as_json: bool = False) -> int:
    for rr in refreshed:
        if as_json:
            print(json.dumps({"feed_id": rr.feed.pk, "url": rr.feed.url, "status": rr.status,
                              "error": rr.error or None, "items": [i.as_dict() for i in rr.items],
                              "skipped": [i.as_dict() for i in rr.skipped]},
                             ensure_ascii=False, default=str))
        else:
            skipped = f", {len(rr.skipped)} skipped" if rr.skipped else ""
            print(f"{rr.status:<13} {rr.feed.url}  {len(rr.items)} new{skipped}"
                  + (f"  error: {rr.error}" if rr.error else ""))
            for item in [*rr.items, *rr.skipped]:
                print("    " + _line(item))
    if not refreshed:
        print("no feed is due", file=sys.stderr)
    return 0
