"""`newsdesk bench hostile`: hostile, huge and concurrent input through the real ingest path.

Each family (`hostile_inputs`) is written to a temporary folder (the HTTP family is
served by a local server on 127.0.0.1) and ingested item by item by `hostile_worker` in
its own process, on a scratch database (SQLite in a temporary folder, or a PostgreSQL
database made beside `--database-url` and dropped afterwards). Per family it prints the
items tried, crashes (an item whose worker raised or died instead of reporting), hangs
(an item over 30 CPU seconds), failures (`internal_error`), the peak memory of the process and
each item's status and reason. Then it runs two and three `newsdesk ingest` processes
of one folder at once, and two and three `newsdesk worker --once` processes over the same
feeds (served locally; neighbouring feeds share items), and counts failures, tracebacks,
non-zero exits and duplicated rows.

Hang detection is the bench's own watchdog, not the desk's: the desk bounds its work by
budgets (`pipeline.budgets`); the bench only notices when that failed.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsdesk.desk import hostile_inputs as gen
from newsdesk.desk.search_bench import scratch_database

HELP = "hostile: deep, huge, bombed, garbled and concurrent input; crashes, hangs, memory"
# An item that takes more than this many CPU seconds is a hang. CPU time, not wall time:
# the work an item costs, the same on a shared machine whose load average is 15 (where
# wall time is mostly waiting for a core). Wall seconds are printed beside it.
HANG_S = 30.0
SILENCE_S = 300.0  # the watchdog: a worker silent this long is stopped, its item a hang
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
FAMILIES = ("nesting", "huge", "bombs", "http", "encodings", "mutations")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server (a scratch database is made there and dropped); "
                             "SQLite in a temporary folder when left out")
    parser.add_argument("--families", default=",".join(FAMILIES),
                        help="comma-separated families (default: %(default)s)")
    parser.add_argument("--mutations", type=int, default=300,
                        help="truncated and mutated copies of the fixtures (default: %(default)s)")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES,
                        help="files to mutate (default: the repository's tests/fixtures)")
    parser.add_argument("--pages", type=int, default=30,
                        help="pages in the folder ingested concurrently (default: %(default)s)")
    parser.add_argument("--concurrency", default="2,3",
                        help="concurrent `ingest` runs, then `worker` processes (default: %(default)s)")
    parser.add_argument("--feeds", type=int, default=6,
                        help="feeds the concurrent workers poll (default: %(default)s)")
    parser.add_argument("--feed-items", type=int, default=10,
                        help="items per feed, half shared with the next feed (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--json", action="store_true")


# --- the HTTP family -------------------------------------------------------------------


class _Bombs(BaseHTTPRequestHandler):
    """Serves /gzip (Content-Encoding: gzip), /deflate, /raw.gz (a gzip file as
    application/gzip) and /big (20 MB, no Content-Length), each a thousandfold bomb."""

    bodies: dict[str, tuple[bytes, dict]] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        body, headers = self.bodies.get(self.path, (b"not here", {}))
        self.send_response(200 if self.path in self.bodies else 404)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers and self.path != "/big":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


def _serve(bombs: dict[str, bytes]) -> tuple[ThreadingHTTPServer, list[str]]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    _Bombs.bodies = {
        "/gzip": (bombs["bomb.html.gz"], {**html, "Content-Encoding": "gzip"}),
        "/deflate": (bombs["bomb.deflate"], {**html, "Content-Encoding": "deflate"}),
        "/raw.gz": (bombs["bomb-page.html.gz"], {"Content-Type": "application/gzip"}),
        "/feed-gzip": (bombs["bomb.xml.gz"], {"Content-Type": "application/rss+xml",
                                              "Content-Encoding": "gzip"}),
        "/big": (b"<html><body><p>" + b"a" * (20 << 20), {**html, "Connection": "close"}),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Bombs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    return server, [base + path for path in _Bombs.bodies]


# --- running one family ------------------------------------------------------------------


def _worker(items: list[str], env: dict) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "newsdesk.desk.hostile_worker"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    proc.stdin.write(json.dumps(items))
    proc.stdin.close()
    return proc


def _pump(proc: subprocess.Popen, lines: queue.Queue) -> None:
    for line in proc.stdout:
        lines.put(line)
    lines.put(None)


def run_family(items: list[str], env: dict) -> dict:
    """Every item of one family, in worker processes (a fresh one after a death)."""
    rows, peak, left = [], 0.0, list(items)
    while left:
        proc = _worker(left, env)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_pump, args=(proc, lines), daemon=True).start()
        while left:
            try:
                line = lines.get(timeout=SILENCE_S)
            except queue.Empty:  # silent: stopped, its item is a hang
                proc.kill()
                rows.append({"item": left.pop(0), "hang": True, "seconds": SILENCE_S,
                             "cpu_s": SILENCE_S,
                             "results": [], "crash": f"no answer in {SILENCE_S:.0f} s; stopped"})
                break
            if line is None:  # the process died: its item crashed
                proc.wait()
                rows.append({"item": left.pop(0), "results": [], "seconds": 0.0, "cpu_s": 0.0,
                             "hang": False,
                             "crash": f"the worker died (exit {proc.returncode})"})
                break
            row = json.loads(line)
            if row.get("ready"):
                continue
            left.pop(0)
            row["hang"] = row["cpu_s"] > HANG_S
            peak = max(peak, row.get("peak_rss_mb", 0.0))
            rows.append(row)
        proc.wait()
    return {
        "items": len(rows),
        "crashes": sum(1 for r in rows if r.get("crash")),
        "hangs": sum(1 for r in rows if r["hang"]),
        "internal_errors": sum(1 for r in rows for x in r["results"] if x["reason"] == "internal_error"),
        "unreported": sum(1 for r in rows if not r.get("crash") and
                          any(not x["reason"] and x["status"] not in ("ingested", "updated", "subscribed")
                              for x in r["results"])),
        "peak_rss_mb": peak,
        "slowest_s": max((r["seconds"] for r in rows), default=0.0),
        "slowest_cpu_s": max((r.get("cpu_s", r["seconds"]) for r in rows), default=0.0),
        "rows": rows,
    }


def _write(folder: Path, named: list[tuple[str, bytes]]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in named:
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    return paths


# --- concurrent writers ------------------------------------------------------------------------


def _pages(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = "".join(f"<p>Report {i}, part {k}: {gen.SENTENCE}</p>" for k in range(4))
        (folder / f"page-{i:03d}.html").write_bytes(
            f'<!doctype html><html><head><title>Report number {i}</title>'
            f'<link rel="canonical" href="https://hostile.example/report-{i}"></head>'
            f"<body><article><h1>Report number {i}</h1>{body}</article></body></html>".encode())
    return folder


def run_concurrent(folder: Path, writers: int, server_url: str, env: dict) -> dict:
    """`writers` × `newsdesk ingest FOLDER` at once on a fresh database."""
    with scratch_database(server_url, purpose=f"hostile{writers}") as url, \
            tempfile.TemporaryDirectory(prefix="newsdesk-hostile-data-") as data:
        run_env = {**env, "NEWSDESK_DATABASE_URL": url, "NEWSDESK_DATA_DIR": data}
        subprocess.run([sys.executable, "-m", "newsdesk.cli", "setup"], env=run_env,
                       capture_output=True, check=True)
        procs = [subprocess.Popen([sys.executable, "-m", "newsdesk.cli", "ingest", "--json",
                                   str(folder)], env=run_env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(writers)]
        outs = [p.communicate() for p in procs]
        statuses: dict[str, int] = {}
        for out, _err in outs:
            for line in out.splitlines():
                if line.startswith("{"):
                    r = json.loads(line)
                    key = f"{r['status']}/{r['reason']}" if r["reason"] else r["status"]
                    statuses[key] = statuses.get(key, 0) + 1
        counted = subprocess.run(
            [sys.executable, "-c", _COUNT], env=run_env, capture_output=True, text=True)
        rows = json.loads(counted.stdout.strip().splitlines()[-1])
    return {"writers": writers, "statuses": statuses,
            "exit_codes": [p.returncode for p in procs],
            "tracebacks": sum(err.count("Traceback") for _out, err in outs),
            "internal_errors": sum(v for k, v in statuses.items() if "internal_error" in k),
            **rows}


class _Site(BaseHTTPRequestHandler):
    """Serves the workers' feeds and the pages their items link to."""

    bodies: dict[str, tuple[bytes, str]] = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        body, kind = self.bodies.get(self.path, (b"not here", "text/plain"))
        self.send_response(200 if self.path in self.bodies else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve_feeds(feeds: int, items: int) -> tuple[ThreadingHTTPServer, list[str]]:
    """`feeds` RSS feeds of `items` items each. Neighbouring feeds share half their items
    (the same article syndicated twice), so two workers polling different feeds still
    write the same article at the same moment."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    base = f"http://127.0.0.1:{server.server_port}"
    bodies: dict[str, tuple[bytes, str]] = {}
    for k in range(feeds):
        numbers = [(k * items // 2 + j) % (feeds * items // 2 or 1) for j in range(items)]
        entries = []
        for n in numbers:
            paragraphs = "".join(f"<p>Dispatch {n}, part {p}: {gen.SENTENCE}</p>" for p in range(4))
            bodies[f"/story-{n}.html"] = (
                f"<!doctype html><html><head><title>Dispatch number {n}</title></head><body>"
                f"<article><h1>Dispatch number {n}</h1>{paragraphs}</article></body></html>".encode(),
                "text/html; charset=utf-8")
            entries.append(
                f"<item><title>Dispatch number {n}</title><link>{base}/story-{n}.html</link>"
                f"<guid>{base}/story-{n}.html</guid><pubDate>Mon, 07 Dec 2026 10:{n % 60:02d}:00 GMT</pubDate>"
                f"<description><![CDATA[{paragraphs}]]></description></item>")
        bodies[f"/feed-{k}.xml"] = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire {k}</title>'
            f"<link>{base}/</link>{''.join(entries)}</channel></rss>".encode(),
            "application/rss+xml")
    _Site.bodies = bodies
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, [f"{base}/feed-{k}.xml" for k in range(feeds)]


def run_workers(feeds: list[str], workers: int, server_url: str, env: dict) -> dict:
    """`workers` × `newsdesk worker --once` at once over the same subscriptions, on a fresh
    database: each claims feeds a few at a time until none is due."""
    with scratch_database(server_url, purpose=f"hostilew{workers}") as url, \
            tempfile.TemporaryDirectory(prefix="newsdesk-hostile-data-") as data:
        run_env = {**env, "NEWSDESK_DATABASE_URL": url, "NEWSDESK_DATA_DIR": data,
                   "NEWSDESK_POLL_BATCH": "1"}
        for command in (["setup"], ["feeds", "add", *feeds]):
            subprocess.run([sys.executable, "-m", "newsdesk.cli", *command], env=run_env,
                           capture_output=True, check=True)
        # only the bench's feeds are due: the default subscriptions point at the web
        subprocess.run([sys.executable, "-c", _ONLY_DUE, *feeds], env=run_env,
                       capture_output=True, check=True)
        procs = [subprocess.Popen([sys.executable, "-m", "newsdesk.cli", "worker", "--once"],
                                  env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(workers)]
        outs = [p.communicate() for p in procs]
        counted = subprocess.run(
            [sys.executable, "-c", _COUNT], env=run_env, capture_output=True, text=True)
        rows = json.loads(counted.stdout.strip().splitlines()[-1])
    return {"workers": workers, "polls_by_worker": [err.count(": ok, ") + err.count(": failed")
                                                     for _out, err in outs], "feeds": len(feeds), "exit_codes": [p.returncode for p in procs],
            "tracebacks": sum(err.count("Traceback") for _out, err in outs),
            "internal_errors": rows["capture_statuses"].get("failed/internal_error", 0)
            + rows["feeds_failed"], **rows}


_ONLY_DUE = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
django.setup()
from newsdesk.desk.models import Feed
Feed.objects.exclude(url__in=sys.argv[1:]).update(active=False)
"""


_COUNT = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
django.setup()
from django.db.models import Count
from newsdesk.desk.models import Article, Capture, Feed
print(json.dumps({
    "articles": Article.objects.count(),
    "duplicate_urls": Article.objects.values("url").annotate(n=Count("id")).filter(n__gt=1).count(),
    "captures": Capture.objects.count(),
    "duplicate_captures": Capture.objects.values("sha256").annotate(n=Count("id")).filter(n__gt=1).count(),
    "capture_statuses": {f"{r['status']}/{r['reason']}" if r["reason"] else r["status"]: r["n"]
                 for r in Capture.objects.values("status", "reason").annotate(n=Count("id"))},
    "feeds_failed": Feed.objects.filter(last_status="failed").count(),
}))
"""


# --- the command ---------------------------------------------------------------------------


def run(args) -> int:
    from django.conf import settings

    if not settings.configured:  # this process opens no desk; the scratch database's
        settings.configure()     # clean-up only asks Django to close what it opened
    wanted = [f.strip() for f in args.families.split(",") if f.strip()]
    unknown = set(wanted) - set(FAMILIES)
    if unknown:
        raise SystemExit(f"unknown families: {', '.join(sorted(unknown))} (known: {', '.join(FAMILIES)})")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "NEWSDESK_ALLOW_PRIVATE": "1",
           "NEWSDESK_HOST_DELAY": "0"}
    report: dict = {"database": "postgresql" if args.database_url else "sqlite", "families": {}}
    with tempfile.TemporaryDirectory(prefix="newsdesk-hostile-") as tmp:
        root = Path(tmp)
        bombs = dict(gen.bombs()) if {"bombs", "http"} & set(wanted) else {}
        made = {
            "nesting": lambda: gen.deep_nesting(),
            "huge": lambda: gen.huge(),
            "bombs": lambda: list(bombs.items()),
            "encodings": lambda: gen.encodings(),
            "mutations": lambda: gen.mutations(args.fixtures, args.mutations, args.seed),
        }
        server = None
        with scratch_database(args.database_url, purpose="hostile") as url:
            fam_env = {**env, "NEWSDESK_DATABASE_URL": url,
                       "NEWSDESK_DATA_DIR": str(root / "data")}
            for family in wanted:
                if family == "http":
                    server, items = _serve(bombs)
                else:
                    items = _write(root / family, made[family]())
                result = run_family(items, fam_env)
                report["families"][family] = result
                _print_family(family, result, args.json)
            if server is not None:
                server.shutdown()
        folder = _pages(root / "concurrent", args.pages)
        report["concurrent"] = []
        for writers in [int(w) for w in args.concurrency.split(",") if w.strip()]:
            result = run_concurrent(folder, writers, args.database_url, env)
            report["concurrent"].append(result)
            if not args.json:
                print(f"concurrent: {writers} × `newsdesk ingest` of {args.pages} pages: "
                      f"{result['statuses']}; internal errors {result['internal_errors']}, "
                      f"tracebacks {result['tracebacks']}, articles {result['articles']}, "
                      f"duplicated addresses {result['duplicate_urls']}, duplicated captures "
                      f"{result['duplicate_captures']}, exit codes {result['exit_codes']}")
        server, feed_urls = _serve_feeds(args.feeds, args.feed_items)
        report["workers"] = []
        for workers in [int(w) for w in args.concurrency.split(",") if w.strip()]:
            result = run_workers(feed_urls, workers, args.database_url, env)
            report["workers"].append(result)
            if not args.json:
                print(f"workers: {workers} × `newsdesk worker --once` over {len(feed_urls)} feeds "
                      f"(polls by worker {result['polls_by_worker']}): "
                      f"{result['capture_statuses']}; internal errors {result['internal_errors']}, "
                      f"tracebacks {result['tracebacks']}, articles {result['articles']}, "
                      f"duplicated addresses {result['duplicate_urls']}, duplicated captures "
                      f"{result['duplicate_captures']}, exit codes {result['exit_codes']}")
        server.shutdown()
    fams = report["families"].values()
    report["totals"] = {
        "items": sum(f["items"] for f in fams), "crashes": sum(f["crashes"] for f in fams),
        "hangs": sum(f["hangs"] for f in fams),
        "internal_errors": sum(f["internal_errors"] for f in fams),
        "unreported": sum(f["unreported"] for f in fams),
        "peak_rss_mb": max((f["peak_rss_mb"] for f in fams), default=0.0)}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        t = report["totals"]
        print(f"total on {report['database']}: {t['items']} items, {t['crashes']} crashes, "
              f"{t['hangs']} hangs, {t['internal_errors']} internal errors, {t['unreported']} "
              f"without a reason, peak memory {t['peak_rss_mb']:.0f} MB")
    bad = report["totals"]["crashes"] + report["totals"]["hangs"] + report["totals"]["internal_errors"]
    bad += sum(c["internal_errors"] + c["tracebacks"] + c["duplicate_urls"] + c["duplicate_captures"]
               + sum(1 for code in c["exit_codes"] if code)
               for c in report["concurrent"] + report["workers"])
    return 1 if bad else 0


def _print_family(name: str, result: dict, as_json: bool) -> None:
    if as_json:
        return
    print(f"{name}: {result['items']} items, {result['crashes']} crashes, {result['hangs']} hangs "
          f"(> {HANG_S:.0f} CPU s), {result['internal_errors']} internal errors, peak memory "
          f"{result['peak_rss_mb']:.0f} MB, slowest {result['slowest_cpu_s']:.1f} CPU s "
          f"({result['slowest_s']:.1f} s wall; load average {os.getloadavg()[0]:.1f})")
    for row in result["rows"]:
        outcome = "; ".join(f"{x['status']}/{x['reason'] or '-'}" for x in row["results"][:3])
        if len(row["results"]) > 3:
            outcome += f"; … ({len(row['results'])} results)"
        if row.get("crash"):
            outcome = "CRASH " + row["crash"].strip().splitlines()[-1]
        first = next((x["message"] for x in row["results"] if x["message"]), "")
        print(f"    {Path(row['item']).name if '://' not in row['item'] else row['item']:<44} "
              f"{row.get('cpu_s', 0.0):>6.1f} CPU s {row['seconds']:>6.1f} s  {outcome}  {first[:100]}")

