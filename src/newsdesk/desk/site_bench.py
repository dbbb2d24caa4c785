"""`newsdesk bench site`: how fast every reader page answers under load, beside a peer site.

It never touches the desk's own database: it builds a scratch desk (`desk.bench_desk`:
SQLite in a temporary folder, or a PostgreSQL database created beside ``--database-url``
and dropped afterwards) of ``--articles`` articles, serves it the way a user does
(``--server run`` is what `make run` starts; ``--server gunicorn``), and drives each
reader page with wrk (`desk.bench_http`): ``--connections`` at once for ``--duration``
seconds, ``--rounds`` times.

With ``--peer FILE`` (lines of ``page-name URL``: the WordPress peer's urls.txt) the
peer's page of the same name is timed in the same run, just before newsdesk's, round after
round, and the ratio newsdesk/peer printed: the machine may be shared, so only figures
taken side by side compare. Each server process's memory is read when it is ready, after
the warm-up and at the end, to show whether it grows with the requests served.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import time
from pathlib import Path

from newsdesk.desk.search_bench import DEFAULT_DATA, load_corpus, scratch_database

HELP = "site: req/s, p50 and p99 of every reader page under load (wrk), beside a peer site"
SERVERS = ("run", "gunicorn")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="JSON lines (.gz too) with title, body, date, dateline (default: %(default)s)")
    source.add_argument("--pages", type=Path, metavar="DIR",
                        help="a folder of HTML article pages, ingested through the real ingest path "
                             "(slow: for a few thousand pages at most)")
    parser.add_argument("--articles", type=int, default=2_000, help="articles on the desk (default: %(default)s)")
    parser.add_argument("--distinct", type=int, default=2_000,
                        help="corpus records understood (places, names, stories) and cycled to make "
                             "--articles (default: %(default)s)")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server to bench on (a scratch database is created and "
                             "dropped there); SQLite in a temporary folder when left out")
    parser.add_argument("--server", choices=SERVERS, default="run",
                        help="run: `newsdesk run --no-poll` (waitress, what `make run` starts); "
                             "gunicorn: gunicorn on newsdesk.wsgi (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn worker processes (default: 2 x cores + 1 = %(default)s)")
    parser.add_argument("--peer", type=Path, metavar="FILE",
                        help="'page-name URL' lines (the WordPress peer's /var/lib/wordpress-peer/urls.txt): "
                             "each page of the same name is timed beside newsdesk's")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page and round (default: %(default)s)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load per page before timing (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over every page (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default: %(default)s)")
    parser.add_argument("--connections", type=int, default=16, help="connections open at once (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=10,
                        help="seconds before wrk counts a request as timed out (default: %(default)s)")
    parser.add_argument("--category", metavar="SLUG",
                        help="the country page timed as 'category' (default: the country with most articles)")
    parser.add_argument("--search-common", metavar="WORD", help="the common word searched (default: the desk's most used)")
    parser.add_argument("--search-rare", metavar="WORD", help="the rare word searched (default: a headline word few use)")
    parser.add_argument("--json", action="store_true", help="one JSON object: every page's figures and ratio")


def read_peer(path: Path | None) -> dict[str, str]:
    """``page-name URL`` per line; blank lines and # comments skipped."""
    if path is None:
        return {}
    if not path.exists():
        raise SystemExit(f"no peer file at {path}")
    out = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) != 2 or not parts[1].startswith(("http://", "https://")):
            raise SystemExit(f"{path}: expected 'page-name URL', got {line!r}")
        out[parts[0]] = parts[1]
    return out


def build_desk(args) -> tuple[dict, list, float]:
    """Migrate the scratch database, lay down the region tree, fill it; its reader pages."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from newsdesk.desk import bench_desk
    from newsdesk.desk.setup import ensure_ready

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    ensure_ready()  # the region tree, as `newsdesk setup` and the first `newsdesk run` make it
    if args.pages:
        built = bench_desk.build_from_pages(args.pages, args.articles)
    else:
        built = bench_desk.build_from_corpus(load_corpus(args.data), args.articles, args.distinct)
    bench_desk.analyse()
    built_s = time.perf_counter() - start
    pages = bench_desk.reader_pages(args.search_common, args.search_rare, args.category)
    built["database"] = connections["default"].vendor
    connections.close_all()  # the server has the database to itself from here
    return built, pages, built_s


def summarise(runs: list[dict]) -> dict | None:
    """Rounds of one side of one page: mean req/s, median p50, worst p99."""
    if not runs:
        return None
    return {
        "req_s": statistics.fmean(r["req_s"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in runs),
        "rounds": runs,
    }


def measure(args, server, pages, peer: dict[str, str]) -> dict:
    from newsdesk.desk.bench_http import probe, rss_mib, wait_drained, wrk

    def load(url: str, seconds: float) -> dict:
        """One wrk run, then the requests it left in flight are let finish: on the peer by
        one more request (queued behind them), on newsdesk until it has closed them all."""
        figures = wrk(url, args.threads, args.connections, seconds, args.timeout)
        if url.startswith(server.url):
            figures["drain_s"] = wait_drained(server.port, args.timeout * 2)
        else:
            try:
                probe(url, timeout=args.timeout)
            except OSError:
                pass
        return figures

    rows = {}
    for p in pages:
        started = time.perf_counter()
        status, size = probe(server.url + p.path)
        alone_ms = (time.perf_counter() - started) * 1000
        rows[p.name] = {"path": p.path, "about": p.about, "status": status, "bytes": size, "first_ms": alone_ms,
                        "peer_url": peer.get(p.name), "runs": [], "peer_runs": []}
        if p.name in peer:
            try:
                rows[p.name]["peer_status"] = probe(peer[p.name])[0]
            except OSError as error:
                raise SystemExit(f"the peer's {p.name} page ({peer[p.name]}) does not answer: {error}") from None
    if any(row["status"] >= 500 for row in rows.values()):
        print(f"server errors; its log ends:\n{server.log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
    pids = server.pids()
    memory = {pid: {"ready": rss_mib(pid)} for pid in pids}
    if args.warmup > 0:
        for p in pages:
            if p.name in peer:
                load(peer[p.name], args.warmup)
            load(server.url + p.path, args.warmup)
    for pid in pids:
        memory[pid]["warm"] = rss_mib(pid)
    load_start = os.getloadavg()[0]
    for r in range(args.rounds):
        for p in pages:
            if p.name in peer:  # peer first, then newsdesk: each pair taken side by side
                rows[p.name]["peer_runs"].append(load(peer[p.name], args.duration))
            rows[p.name]["runs"].append(load(server.url + p.path, args.duration))
        print(f"  round {r + 1}/{args.rounds} done", file=sys.stderr)
    for pid in pids:
        memory[pid]["end"] = rss_mib(pid)
    result = {}
    for name, row in rows.items():
        mine, theirs = summarise(row.pop("runs")), summarise(row.pop("peer_runs"))
        ratio = mine["req_s"] / theirs["req_s"] if theirs and theirs["req_s"] else None
        result[name] = {**row, "newsdesk": mine, "peer": theirs, "ratio": ratio}
    served = sum(p["newsdesk"]["requests"] for p in result.values())
    return {"pages": result, "load_average": {"start": load_start, "end": os.getloadavg()[0]},
            "memory": {"requests_after_warmup": served,
                       "processes": [{"pid": pid, **mib} for pid, mib in memory.items()]},
            "peer_only": sorted(set(peer) - set(result))}


def run(args) -> int:
    from django.conf import settings

    from newsdesk.desk.bench_http import need_wrk, serving

    if settings.configured:  # its scratch database is chosen before Django starts
        raise SystemExit("bench site runs as its own process, not inside a running desk")
    need_wrk()
    peer = read_peer(args.peer)
    # A bench stopped by SIGTERM (a timeout, a CI runner) still stops its server and drops
    # its scratch database: the exit unwinds through their `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with scratch_database(args.database_url) as url:
        os.environ["NEWSDESK_DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
        built, pages, built_s = build_desk(args)
        print(f"  desk built in {built_s:.1f} s; serving it ({args.server})", file=sys.stderr)
        with serving(args.server, url, args.workers) as server:
            measured = measure(args, server, pages, peer)
    result = {
        "database": built.pop("database"), "server": args.server,
        "workers": args.workers if args.server == "gunicorn" else None,
        "desk": built, "built_s": built_s,
        "load": {"threads": args.threads, "connections": args.connections, "duration_s": args.duration,
                 "warmup_s": args.warmup, "rounds": args.rounds, "timeout_s": args.timeout},
        **measured,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return 0


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _cells(side: dict | None) -> str:
    if side is None:
        return f"{'':>8}{'':>8}{'':>9}"
    if not side["requests"]:  # wrk counts answers that came within its run: none did
        return f"{'0':>8}{'-':>8}{'-':>9}"
    return f"{side['req_s']:>8.1f}{_ms(side['p50_ms']):>8}{_ms(side['p99_ms']):>9}"


def print_report(result: dict) -> None:
    desk, load = result["desk"], result["load"]
    server = "newsdesk run --no-poll (waitress)" if result["server"] == "run" else \
        f"gunicorn, {result['workers']} workers"
    print(f"site on {result['database']}, {server}: {desk['articles']:,} articles, "
          f"{desk.get('stories', 0):,} stories, {desk.get('entities', 0):,} entities (built in {result['built_s']:.0f} s)")
    print(f"wrk -t{load['threads']} -c{load['connections']}, {load['duration_s']:g} s a page, "
          f"{load['rounds']} round(s) after {load['warmup_s']:g} s of warm-up; req/s is the mean of the rounds, "
          f"p50 their median, p99 the worst; load average {result['load_average']['start']:.1f} → "
          f"{result['load_average']['end']:.1f}; 'alone' is newsdesk's first answer, one request on its own")
    print()
    print(f"{'':14}{'newsdesk':>25}{'peer':>25}")
    print(f"{'page':14}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>9}{'ratio':>8}"
          f"{'alone ms':>10}  path")
    for name, page in result["pages"].items():
        ratio = f"{page['ratio']:>7.2f}x" if page["ratio"] is not None else f"{'':8}"
        flags = []
        if page["status"] != 200:
            flags.append(f"HTTP {page['status']}")
        for who in ("newsdesk", "peer"):
            side = page[who]
            if side and (side["errors"] or side["non_2xx_3xx"]):
                flags.append(f"{who}: {side['errors']} errors or timeouts, {side['non_2xx_3xx']} non-2xx/3xx")
            if side and not side["requests"]:
                flags.append(f"{who}: no answer within a {load['duration_s']:g} s run")
        about = f" ({page['about']})" if page["about"] else ""
        print(f"{name:14}{_cells(page['newsdesk'])}{_cells(page['peer'])}{ratio}{_ms(page['first_ms']):>10}"
              f"  {page['path']}{about}"
              + (f"  [{'; '.join(flags)}]" if flags else ""))
    if result["peer_only"]:
        print(f"peer pages with no newsdesk page of that name (not timed): {', '.join(result['peer_only'])}")
    memory = result["memory"]
    print(f"\nserver memory, RSS MiB (ready → after warm-up → end, {memory['requests_after_warmup']:,} "
          f"requests after the warm-up):")
    for p in memory["processes"]:
        print(f"  pid {p['pid']}: " + " → ".join(f"{p[k]:.1f}" if p[k] is not None else "gone"
                                                  for k in ("ready", "warm", "end")))
