"""The embedded default: one process serves the site while a thread polls due feeds."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

from newsdesk import config

log = logging.getLogger("newsdesk.serve")


def poll_forever(interval: float, once: bool = False, stop: threading.Event | None = None) -> None:
    """Refresh due feeds, sleep, repeat. A failure is logged and the loop goes on.

    Feeds are claimed a few at a time (NEWSDESK_POLL_BATCH) until none is due: a worker
    that claimed the whole queue at once would keep the others idle while it polls
    every feed in turn."""
    from newsdesk.desk.refresh import refresh_due_feeds

    stop = stop or threading.Event()
    batch = max(1, int(config.get("NEWSDESK_POLL_BATCH")))
    while not stop.is_set():
        close_old_connections()
        polled: set[int] = set()  # a feed due again at once (interval 0) waits for next round
        try:
            while not stop.is_set():
                results = refresh_due_feeds(limit=batch)
                for rr in results:
                    log.info("feed %s: %s, %d new%s", rr.feed.url, rr.status, len(rr.items),
                             f" ({rr.error})" if rr.error else "")
                fresh = {rr.feed.pk for rr in results} - polled
                polled |= fresh
                if len(results) < batch or not fresh:
                    break
        except Exception:  # the poller must outlive any one bad round; the trace is logged
            log.exception("polling round failed")
        if once:
            return
        stop.wait(interval)


def serve(host: str, port: int, poll: bool = True, threads: int = 8) -> int:
    from waitress import serve as waitress_serve

    from newsdesk.desk.setup import ensure_ready
    from newsdesk.wsgi import application

    ensure_ready(load_feeds=True)
    if poll:
        interval = float(config.get("NEWSDESK_POLL_SECONDS"))
        threading.Thread(target=poll_forever, args=(interval,), daemon=True, name="poller").start()
    log.info("newsdesk on http://%s:%d/ (admin: /admin/, data: %s)", host, port, config.data_dir())
    waitress_serve(application, host=host, port=port, threads=threads, ident="newsdesk")
    return 0
