"""HTTP for `newsdesk bench site`: the site served as a user serves it, and wrk to load it.

The server runs in its own process group on a free port of 127.0.0.1, started exactly as
a user starts it (`newsdesk run --no-poll`, which `make run` runs; or gunicorn on
``newsdesk.wsgi``), and is always stopped when the bench ends, failed or not.

wrk (Debian's package) is the load: written in C, one thread per core, it is not the
bottleneck a Python client would be. A small Lua ``done`` hook prints its totals and
latency percentiles as one JSON line, so nothing is scraped from its text report.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

READY_TIMEOUT_S = 120  # first start migrates nothing (the bench did) but loads Django and spaCy-free views
STOP_TIMEOUT_S = 15
PAGE_SIZE = 4096  # /proc/PID/statm counts pages

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"mean_us": %.1f, "max_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max))
end
"""


def need_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("bench site needs wrk, the HTTP load generator: apt-get install wrk")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    kind: str
    url: str
    process: subprocess.Popen
    log: Path
    command: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def pids(self) -> list[int]:
        """The server's processes: the one started, and its children (gunicorn's workers)."""
        return [self.process.pid, *children(self.process.pid)]


def server_command(kind: str, port: int, workers: int) -> list[str]:
    if kind == "run":
        return [sys.executable, "-m", "newsdesk.cli", "run", "--no-poll", "--host", "127.0.0.1",
                "--port", str(port)]
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        raise SystemExit("--server gunicorn needs gunicorn in this environment: pip install gunicorn "
                         "(a dependency of newsdesk since the site bench; reinstall to get it)") from None
    return [sys.executable, "-m", "gunicorn", "newsdesk.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--log-level", "warning"]


@contextmanager
def serving(kind: str, database_url: str, workers: int):
    """A Server answering on 127.0.0.1, stopped (with its workers) on the way out."""
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-site-")
    log = Path(data_dir) / "server.log"
    env = {**os.environ, "NEWSDESK_DATABASE_URL": database_url, "NEWSDESK_DATA_DIR": data_dir,
           "NEWSDESK_DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    command = server_command(kind, port, workers)
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = Server(kind, f"http://127.0.0.1:{port}", process, log, command)
    try:
        wait_ready(server)
        yield server
    finally:
        stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"the server stopped at start ({' '.join(server.command)}):\n"
                             + server.log.read_text(errors="replace")[-3000:])
        try:
            probe(server.url + "/-/ready-probe")  # any answer, 404 included, means it serves
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {READY_TIMEOUT_S} s:\n"
                     + server.log.read_text(errors="replace")[-3000:])


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group (gunicorn passes it to its workers), then
    SIGKILL if it has not gone within STOP_TIMEOUT_S."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def children(pid: int) -> list[int]:
    """Direct children of a process, read from /proc (Linux; none elsewhere)."""
    out = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = entry.read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()  # after "pid (name) "
        if len(fields) > 1 and fields[1] == str(pid):
            out.append(int(entry.parent.name))
    return sorted(out)


def rss_mib(pid: int) -> float | None:
    try:
        resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return resident * PAGE_SIZE / 2**20


BUSY_STATES = {"01", "03", "08"}  # ESTABLISHED, SYN_RECV, CLOSE_WAIT (/proc/net/tcp's hex codes)


def open_connections(port: int) -> int | None:
    """Connections to a local port that the server has not closed yet (None off Linux).

    Those wrk left behind stay ESTABLISHED or CLOSE_WAIT until the server has answered
    them (Django does not stop a view when its client goes), queued ones included.
    """
    count, found = 0, False
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        found = True
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] in BUSY_STATES:
                count += 1
    return count if found else None


def wait_drained(port: int, most_s: float, every_s: float = 0.1) -> float:
    """Wait until the server has answered every request wrk left in flight (at most
    ``most_s``); seconds waited. Otherwise a slow page's leftovers would be timed as part
    of the next page's run."""
    start = time.monotonic()
    while time.monotonic() - start < most_s and open_connections(port):
        time.sleep(every_s)
    return time.monotonic() - start


def probe(url: str, timeout: float = 60) -> tuple[int, int]:
    """One GET, redirects not followed: (status, body bytes)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                     headers={"User-Agent": "newsdesk-bench"})
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def wrk(url: str, threads: int, connections: int, seconds: float, timeout_s: float) -> dict:
    """One wrk run on one URL: req/s, p50/p90/p99 in ms, errors and non-2xx/3xx answers."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        done = subprocess.run(
            [need_wrk(), f"-t{threads}", f"-c{max(connections, threads)}", f"-d{max(1, round(seconds))}s",
             f"--timeout={max(1, round(timeout_s))}s", "-s", script.name, url],
            capture_output=True, text=True, timeout=seconds + timeout_s + 30)
    finally:
        os.unlink(script.name)
    line = next((ln for ln in reversed(done.stdout.splitlines()) if ln.startswith('{"requests"')), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {url}: {done.stderr.strip() or done.stdout.strip()}")
    r = json.loads(line)
    seconds_run = r["duration_us"] / 1e6 or 1.0
    return {
        "req_s": r["requests"] / seconds_run,
        "p50_ms": r["p50_us"] / 1000, "p90_ms": r["p90_us"] / 1000, "p99_ms": r["p99_us"] / 1000,
        "mean_ms": r["mean_us"] / 1000, "max_ms": r["max_us"] / 1000,
        "requests": r["requests"], "bytes_per_response": r["bytes"] / r["requests"] if r["requests"] else 0,
        "errors": r["connect"] + r["read"] + r["write"] + r["timeout"], "non_2xx_3xx": r["status"],
    }
