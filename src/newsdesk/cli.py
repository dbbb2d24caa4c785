"""`newsdesk …`: the command line. Each command only calls the desk's functions."""

from __future__ import annotations

import argparse
import json
import os
import sys

from newsdesk import config


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from newsdesk.desk.setup import ensure_ready

    ensure_ready()


def cmd_run(args) -> int:
    _django()
    from newsdesk.serve import serve

    return serve(args.host, args.port, poll=not args.no_poll, threads=args.threads)


def cmd_setup(args) -> int:
    _django()
    from newsdesk.desk.setup import ensure_ready, sync_categories

    ensure_ready(load_feeds=True)
    print(f"schema ready; {sync_categories()} categories in the region tree")
    return 0


def cmd_ingest(args) -> int:
    _django()
    from newsdesk.desk.ingest import ingest_item, input_items
    from newsdesk.desk.planner_stats import refresh_planner_stats
    from newsdesk.desk.stories import settle_stories
    from newsdesk.reporting import report_results

    # Walk each folder once: the same list gives the progress total and the work.
    items = [item for target in args.targets for item in input_items(target)]
    results = (r for item in items for r in ingest_item(item))
    code = report_results(results, as_json=args.json, total_hint=len(items))
    settle_stories()  # the run is one batch: its last lone articles get their second look
    refresh_planner_stats()
    return code


def cmd_feeds(args) -> int:
    _django()
    from newsdesk.desk import refresh
    from newsdesk.reporting import print_feeds, report_results

    if args.feeds_command == "add":
        from newsdesk.pipeline.documents import Rejected

        results = []
        for url in args.urls:
            try:
                feed, created = refresh.subscribe(url)
            except Rejected as rejected:
                results.append({"feed_id": None, "url": url[:200], "status": "rejected",
                                "reason": rejected.reason.value, "message": rejected.message})
                continue
            results.append({"feed_id": feed.pk, "url": url, "status": "subscribed" if created else "already_subscribed"})
        for r in results:
            line = f"{r['status']:<20} {r['url']}" + (f" ({r['message']})" if "message" in r else "")
            print(json.dumps(r) if args.json else line)
        return 1 if any(r["status"] == "rejected" for r in results) else 0
    if args.feeds_command == "import":
        with open(args.path, "rb") as fh:
            return report_results(refresh.subscribe_opml(fh.read()), as_json=args.json)
    if args.feeds_command == "export":
        from newsdesk.desk.models import Feed
        from newsdesk.pipeline import documents as doc
        from newsdesk.pipeline.opml import write_opml

        outlines = [doc.Outline(feed_url=f.url, title=f.title, site_url=f.site_url, category=f.category_hint)
                    for f in Feed.objects.all()]
        sys.stdout.write(write_opml(outlines, "newsdesk subscriptions").decode())
        return 0
    return print_feeds(as_json=args.json)


def cmd_refresh(args) -> int:
    _django()
    from django.utils import timezone

    from newsdesk.desk.models import Feed
    from newsdesk.desk.refresh import refresh_due_feeds
    from newsdesk.reporting import report_refresh

    if args.all:
        Feed.objects.filter(active=True).update(next_poll_at=timezone.now())
    return report_refresh(refresh_due_feeds(), as_json=args.json)


def cmd_reprocess(args) -> int:
    _django()
    from newsdesk.desk.ingest import reprocess_capture
    from newsdesk.desk.models import Capture
    from newsdesk.reporting import report_results

    qs = Capture.objects.order_by("pk")
    if args.ids:
        qs = qs.filter(pk__in=args.ids)
    elif args.rejected or args.pending:
        wanted = [Capture.Status.REJECTED] * args.rejected + [Capture.Status.PENDING] * args.pending
        qs = qs.filter(status__in=wanted)
    return report_results((reprocess_capture(c) for c in qs.iterator()), as_json=args.json,
                          total_hint=qs.count())


def cmd_worker(args) -> int:
    _django()
    from newsdesk.serve import poll_forever

    poll_forever(interval=float(config.get("NEWSDESK_POLL_SECONDS")), once=args.once)
    return 0


def cmd_eval(args) -> int:
    from newsdesk import evals

    return evals.load(args.eval_name).run(args)


def cmd_bench(args) -> int:
    from newsdesk.desk import hostile_bench, ingest_bench, search_bench, site_bench

    bench = {"search": search_bench, "ingest": ingest_bench, "site": site_bench,
             "hostile": hostile_bench}[args.bench_name]
    return bench.run(args)


def cmd_settings(args) -> int:
    if args.json:
        print(json.dumps(config.public_values(), indent=2))
        return 0
    shown = config.public_values()
    for s in config.SETTINGS:
        print(f"{s.name}={shown[s.name]}\n    {s.help}")
    return 0


def cmd_manage(args) -> int:
    _django()  # the schema exists before createsuperuser and friends run
    from django.core.management import execute_from_command_line

    execute_from_command_line(["newsdesk manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    from newsdesk import evals

    p = argparse.ArgumentParser(prog="newsdesk", description="A self-hosted news desk.")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve the site and poll feeds in the background (embedded default)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--threads", type=int, default=8)
    run.add_argument("--no-poll", action="store_true", help="serve only; do not poll feeds")
    run.set_defaults(func=cmd_run)

    sub.add_parser("setup", help="create the schema, the region tree and default feeds").set_defaults(func=cmd_setup)

    ing = sub.add_parser("ingest", help="ingest files, folders, URLs, feeds, OPML lists, WARC files")
    ing.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    ing.add_argument("--json", action="store_true", help="one JSON object per item")
    ing.set_defaults(func=cmd_ingest)

    feeds = sub.add_parser("feeds", help="subscriptions")
    feeds.add_argument("--json", action="store_true")
    fsub = feeds.add_subparsers(dest="feeds_command")
    add = fsub.add_parser("add", help="subscribe to feed URLs")
    add.add_argument("urls", nargs="+")
    add.add_argument("--json", action="store_true")
    imp = fsub.add_parser("import", help="subscribe to every feed in an OPML file")
    imp.add_argument("path")
    imp.add_argument("--json", action="store_true")
    fsub.add_parser("export", help="print the subscriptions as OPML")
    lst = fsub.add_parser("list", help="status, last error, last and next poll")
    lst.add_argument("--json", action="store_true")
    feeds.set_defaults(func=cmd_feeds)

    ref = sub.add_parser("refresh", help="poll every due feed once")
    ref.add_argument("--all", action="store_true", help="poll every active feed, due or not")
    ref.add_argument("--json", action="store_true")
    ref.set_defaults(func=cmd_refresh)

    rep = sub.add_parser("reprocess", help="re-run extraction and filing over stored captures")
    rep.add_argument("ids", nargs="*", type=int, help="capture ids (default: all)")
    rep.add_argument("--rejected", action="store_true", help="only captures rejected before")
    rep.add_argument("--pending", action="store_true",
                     help="only captures never processed to the end (a crash, a killed worker)")
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(func=cmd_reprocess)

    wrk = sub.add_parser("worker", help="poll due feeds forever (at scale: run any number)")
    wrk.add_argument("--once", action="store_true")
    wrk.set_defaults(func=cmd_worker)

    ev = sub.add_parser("eval", help="measure a pipeline stage on benchmark data, beside its peer")
    evsub = ev.add_subparsers(dest="eval_name", required=True)
    for name in evals.EVALS:
        try:
            module = evals.load(name)
        except ImportError:
            continue
        e = evsub.add_parser(name, help=module.HELP)
        module.add_arguments(e)
    ev.set_defaults(func=cmd_eval)

    bench = sub.add_parser("bench", help="time a desk capability on a scratch database, beside its peer")
    bsub = bench.add_subparsers(dest="bench_name", required=True)
    from newsdesk.desk import hostile_bench, ingest_bench, search_bench, site_bench

    search_bench.add_arguments(bsub.add_parser("search", help=search_bench.HELP))
    ingest_bench.add_arguments(bsub.add_parser("ingest", help=ingest_bench.HELP))
    site_bench.add_arguments(bsub.add_parser("site", help=site_bench.HELP))
    hostile_bench.add_arguments(bsub.add_parser("hostile", help=hostile_bench.HELP))
    bench.set_defaults(func=cmd_bench)

    st = sub.add_parser("settings", help="every setting, its value and what it does")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_settings)

    man = sub.add_parser("manage", help="Django's manage.py (createsuperuser, migrate, shell …)")
    man.add_argument("rest", nargs=argparse.REMAINDER)
    man.set_defaults(func=cmd_manage)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run a command. Without ``argv`` (the process's own command line: the `newsdesk`
    script, `python -m newsdesk.cli`) the process ends as soon as the command is done."""
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
    except BrokenPipeError:  # `newsdesk … | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    if argv is None:
        leave(code)
    return code


def leave(code: int) -> None:
    """End the process now, once its output is flushed and its connections closed.

    A command that filed an article holds the spaCy model, the gazetteer and the name
    tables: the interpreter's own exit frees them object by object, about half a second
    of a one-file ingest's two, for nothing. Everything a command writes is committed or
    closed before it returns, so only what is still buffered needs flushing here.
    """
    import logging

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    sys.stderr.flush()
    if "django.db" in sys.modules:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
    logging.shutdown()
    os._exit(0 if code is None else code if isinstance(code, int) else 1)


if __name__ == "__main__":
    sys.exit(main())
