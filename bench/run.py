"""Benchmark govmon's crawl against a bare Scrapy CrawlSpider and unthrottled LinkChecker.

One run generates a static government portal (bench/gen_site.py), serves it with
nginx on 127.0.0.1, and crawls it with each contender in turn, round-robin, a few
times. Each contender is a child process; the harness records its wall time,
CPU time (user + sys of the child and its waited-for children, from wait4) and
peak RSS, and checks from the contender's own output that it covered the site.

    .venv/bin/python bench/run.py [--pages 2000] [--runs 3] [--out bench/results.json]
"""

from __future__ import annotations

import argparse
import grp
import json
import os
import platform
import pwd
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from gen_site import SITE_CODE, SiteManifest, generate_site

BENCH_DIR = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent  # the venv's bin: scrapy, govmon and linkchecker live next to python
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIN_COVERAGE = 0.95
TARGETS = {"scrapy": 0.8, "linkchecker": 1.5}  # govmon pages/s over each contender's
LINKCHECKER_MAX_RPS = 100000  # per-host limit, effectively none: the minimum wait becomes 10 µs
CONTENDER_TIMEOUT = 1800
# LinkChecker run as root drops to euid nobody before checking; a Python installed
# under a 0700 home can then no longer load the CJK codec modules lazily, and
# every GBK page fails to decode. Importing them first keeps the comparison fair.
LINKCHECKER_LAUNCHER = (
    "import encodings.gb2312, encodings.gbk, encodings.gb18030, sys;"
    "from linkcheck.command.linkchecker import linkchecker;"
    "sys.argv[0] = 'linkchecker'; sys.exit(linkchecker())"
)
def registry_toml(home: str, pack: str | None = None, **crawl: object) -> str:
    """The one-site registry every benchmark crawls with: politeness off, no rendering, robots ignored; ``crawl``
    adds or overrides [site.crawl] settings (TOML scalars, e.g. max_pages=2000)."""
    settings = {"max_depth": 20, "delay": 0.0, "autothrottle": False, "render": "never", "robots": "ignore", **crawl}
    lines = "\n".join(f"{key} = {json.dumps(value)}" for key, value in settings.items())
    return (f'[[site]]\nid = "bench"\nname = "基准站点"\nsite_code = "{SITE_CODE}"\nhome = "{home}"\n'
            f'type = "portal"\nlevel = "市"\nsponsor = "基准单位"\n' + (f'pack = "{pack}"\n' if pack else "")
            + f'[site.admin]\nname = "管理员"\nemail = "admin@example.gov.cn"\n[site.crawl]\n{lines}\n')


@dataclass
class Measurement:
    """One contender's run: resources used and what it fetched."""

    contender: str
    run: int
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    requests: int
    pages: int
    coverage: float
    returncode: int
    load_1min: float  # system load average when the run started: other work on the machine skews wall time
    valid: bool
    note: str = ""

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0

    @property
    def cpu_s_per_1000_pages(self) -> float:
        return 1000 * self.cpu_s / self.pages if self.pages else float("inf")


@dataclass
class Fetched:
    """What a contender's own output says it fetched."""

    requests: int
    page_urls: set[str]
    note: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_site(root: Path, prefix: Path) -> Iterator[str]:
    """Run nginx in the foreground on a free 127.0.0.1 port; yield the origin URL."""
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    user = ""
    if os.geteuid() == 0:  # nginx's built-in "user nobody nobody" fails where there is no group nobody (Debian)
        user = f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(0).gr_name};"
    conf = prefix / "nginx.conf"
    conf.write_text(Template((BENCH_DIR / "nginx.conf.tmpl").read_text()).substitute(
        user_directive=user, prefix=prefix, port=port, root=root), encoding="utf-8")
    log = open(prefix / "nginx.out", "wb")  # noqa: SIM115 - nginx writes to it until stopped below
    server = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"nginx exited: {(prefix / 'error.log').read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start listening within 15 s") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def contender_env(work: Path) -> dict[str, str]:
    """The children's environment, with a bytecode cache under the work folder.

    Some environments set PYTHONDONTWRITEBYTECODE, which makes every run recompile
    all of its imports; a user's install has .pyc files, so the contenders get a
    private cache (filled by the warm-up round) instead.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def measure(cmd: list[str], cwd: Path, log_path: Path, env: dict[str, str]) -> tuple[float, float, float, int]:
    """Run cmd to completion; return (wall s, CPU s, peak RSS MiB, exit code).

    wait4 gives the child's own rusage (including children it waited for), so
    the harness and nginx are never counted. umask 0 lets LinkChecker, which
    drops to nobody, write into the shared bytecode cache.
    """
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env, umask=0)
        watchdog = threading.Timer(CONTENDER_TIMEOUT, child.kill)
        watchdog.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        watchdog.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode


def run_govmon(origin: str, folder: Path, concurrency: int, max_pages: int) -> tuple[list[str], Callable[[], Fetched]]:
    """govmon's full crawl; pages and requests are read back from its stored snapshot."""
    registry = folder / "registry.toml"
    registry.write_text(registry_toml(origin, max_pages=max_pages, concurrency=concurrency), encoding="utf-8")
    db = folder / "govmon.db"
    # The crawl alone, as the other contenders only crawl: `govmon crawl` also checks the run unless told not to.
    cmd = [str(BIN / "govmon"), "crawl", "bench", "--no-check", "--config", str(registry), "--db", f"sqlite:///{db}"]

    def fetched() -> Fetched:
        with closing(sqlite3.connect(db)) as conn:
            run_id, status, reason = conn.execute("SELECT id, status, reason FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            requests = conn.execute("SELECT count(*) FROM pages WHERE run_id = ?", (run_id,)).fetchone()[0]
            urls = conn.execute("SELECT url FROM pages WHERE run_id = ? AND kind = 'page' AND status = 200", (run_id,))
            page_urls = {url for (url,) in urls}
        return Fetched(requests, page_urls, "" if status == "complete" else f"run {status}: {reason}")

    return cmd, fetched


def run_scrapy(origin: str, folder: Path, concurrency: int, max_pages: int) -> tuple[list[str], Callable[[], Fetched]]:
    """The bare CrawlSpider; it reports the URLs that answered and Scrapy's stats."""
    report = folder / "scrapy.json"
    cmd = [str(BIN / "scrapy"), "runspider", str(BENCH_DIR / "bare_scrapy.py"),
           "-a", f"origin={origin}", "-a", f"report={report}",
           "-s", f"CONCURRENT_REQUESTS={concurrency}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}"]

    def fetched() -> Fetched:
        data = json.loads(report.read_text(encoding="utf-8"))
        note = "" if data["reason"] == "finished" else f"finished: {data['reason']}"
        return Fetched(int(data["stats"].get("response_received_count", 0)), set(data["fetched"]), note)

    return cmd, fetched


def run_linkchecker(origin: str, folder: Path, concurrency: int, max_pages: int) -> tuple[list[str], Callable[[], Fetched]]:
    """Unthrottled LinkChecker; pages come from its sitemap output, requests from its summary line."""
    folder.chmod(0o777)  # LinkChecker run as root writes its output as nobody
    sitemap = folder / "sitemap.xml"
    rc = folder / "linkcheckerrc"
    rc.write_text(Template((BENCH_DIR / "linkcheckerrc.tmpl").read_text()).substitute(
        threads=concurrency, max_requests_per_second=LINKCHECKER_MAX_RPS, sitemap=sitemap), encoding="utf-8")
    rc.chmod(0o644)
    cmd = [sys.executable, "-c", LINKCHECKER_LAUNCHER, "-f", str(rc), origin]

    def fetched() -> Fetched:
        summary = re.search(r"(\d+) links? in (\d+) URLs? checked", (folder / "log.txt").read_text(errors="replace"))
        loc = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        urls = {element.text for element in ET.parse(sitemap).iter(loc)}
        return Fetched(int(summary.group(2)) if summary else 0, urls, "" if summary else "no summary line")

    return cmd, fetched


CONTENDERS = {"govmon": run_govmon, "scrapy": run_scrapy, "linkchecker": run_linkchecker}
OK_EXIT = {"govmon": {0}, "scrapy": {0}, "linkchecker": {0, 1}}  # LinkChecker exits 1 when it found broken links


def run_contender(name: str, number: int, origin: str, work: Path, manifest: SiteManifest, concurrency: int,
                  env: dict[str, str]) -> Measurement:
    """Run one contender once in its own folder under work; number 0 is the warm-up."""
    folder = work / f"{name}-{number}"
    folder.mkdir(parents=True)
    cmd, read_fetched = CONTENDERS[name](origin, folder, concurrency, 2 * len(manifest.pages) + 100)
    load = os.getloadavg()[0]
    wall, cpu, rss, code = measure(cmd, folder, folder / "log.txt", env)
    try:
        fetched = read_fetched()
    except (OSError, ValueError, LookupError, ET.ParseError) as exc:
        fetched = Fetched(0, set(), f"no result: {type(exc).__name__}: {exc}")
    site_pages = set(manifest.pages)
    covered = {urlsplit(url).path for url in fetched.page_urls if url.startswith(origin)} & site_pages
    coverage = len(covered) / len(site_pages)
    notes = [fetched.note] if fetched.note else []
    if code not in OK_EXIT[name]:
        notes.append(f"exit code {code}, see {folder / 'log.txt'}")
    if coverage < MIN_COVERAGE:
        notes.append(f"covered {coverage:.1%} of pages, below {MIN_COVERAGE:.0%}")
    return Measurement(name, number, round(wall, 3), round(cpu, 3), round(rss, 1), fetched.requests, len(covered),
                       round(coverage, 4), code, round(load, 2), not notes, "; ".join(notes))


def summarise(measurements: list[Measurement]) -> dict[str, dict]:
    """Per contender, the median of each metric over its valid runs."""
    summary = {}
    for name in CONTENDERS:
        runs = [m for m in measurements if m.contender == name]
        valid = [m for m in runs if m.valid]
        if not runs:
            continue
        entry = {"runs": len(runs), "valid_runs": len(valid)}
        if valid:
            entry |= {
                "pages": statistics.median(m.pages for m in valid),
                "requests": statistics.median(m.requests for m in valid),
                "wall_s": round(statistics.median(m.wall_s for m in valid), 2),
                "pages_per_s": round(statistics.median(m.pages_per_s for m in valid), 1),
                "cpu_s_per_1000_pages": round(statistics.median(m.cpu_s_per_1000_pages for m in valid), 2),
                "peak_rss_mib": round(statistics.median(m.peak_rss_mib for m in valid), 1),
            }
        summary[name] = entry
    return summary


def ratios(summary: dict[str, dict]) -> dict[str, dict]:
    """govmon over each other contender; pages/s higher is better, CPU and memory lower is better."""
    ours = summary.get("govmon", {})
    result = {}
    for other, target in TARGETS.items():
        theirs = summary.get(other, {})
        if "pages_per_s" not in ours or "pages_per_s" not in theirs:
            continue
        speed = ours["pages_per_s"] / theirs["pages_per_s"]
        result[other] = {
            "pages_per_s": round(speed, 2),
            "cpu_s_per_1000_pages": round(ours["cpu_s_per_1000_pages"] / theirs["cpu_s_per_1000_pages"], 2),
            "peak_rss_mib": round(ours["peak_rss_mib"] / theirs["peak_rss_mib"], 2),
            "target_pages_per_s": target,
            "met": speed >= target,
        }
    return result


def machine() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    nginx = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr.strip()
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": model.group(1) if model else platform.processor(),
        "memory_gib": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "scrapy": version("scrapy"),
        "twisted": version("twisted"),
        "linkchecker": version("linkchecker"),
        "govmon": version("govmon"),
        "nginx": nginx.removeprefix("nginx version: "),
    }


def table(summary: dict[str, dict], rel: dict[str, dict]) -> str:
    lines = [f"{'contender':<12} {'runs':>5} {'pages':>6} {'requests':>8} {'wall s':>7} {'pages/s':>8} "
             f"{'CPU s/1k pages':>15} {'peak RSS MiB':>13}"]
    for name, entry in summary.items():
        if "pages_per_s" not in entry:
            lines.append(f"{name:<12} {entry['valid_runs']}/{entry['runs']:<3} no valid run")
            continue
        lines.append(f"{name:<12} {entry['valid_runs']:>2}/{entry['runs']:<2} {entry['pages']:>6.0f} "
                     f"{entry['requests']:>8.0f} {entry['wall_s']:>7.1f} {entry['pages_per_s']:>8.1f} "
                     f"{entry['cpu_s_per_1000_pages']:>15.2f} {entry['peak_rss_mib']:>13.1f}")
    for other, r in rel.items():
        verdict = "met" if r["met"] else "MISSED"
        lines.append(f"govmon/{other}: pages/s {r['pages_per_s']:.2f}x (target >= {r['target_pages_per_s']}x: "
                     f"{verdict}), CPU per page {r['cpu_s_per_1000_pages']:.2f}x, peak RSS {r['peak_rss_mib']:.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="HTML pages in the generated site (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per contender; the median is reported (default 3)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent requests / threads (default 16)")
    parser.add_argument("--contenders", default=",".join(CONTENDERS), help="comma-separated subset to run")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json", help="JSON results file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (site, logs, databases)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.contenders.split(",") if n.strip()]
    unknown = set(names) - set(CONTENDERS)
    if unknown:
        parser.error(f"unknown contender(s): {', '.join(sorted(unknown))}")

    work = Path(tempfile.mkdtemp(prefix="govmon-bench-"))
    work.chmod(0o755)  # LinkChecker, once it has dropped to nobody, must reach its output folder
    try:
        manifest = generate_site(work / "site", args.pages)
        print(f"site: {len(manifest.pages)} pages, {manifest.links_per_page_mean} links/page, "
              f"{manifest.page_bytes_mean / 1024:.1f} KiB/page, depth {manifest.max_depth}; work folder {work}",
              flush=True)
        env = contender_env(work)
        measurements = []
        with serve_site(work / "site", work / "nginx") as origin:
            for number in range(args.runs + 1):
                for name in names:
                    m = run_contender(name, number, origin, work, manifest, args.concurrency, env)
                    label = f"run {number}" if number else "warm-up"
                    print(f"{label:<7} {name:<12} {m.wall_s:7.1f} s wall {m.cpu_s:7.1f} s CPU "
                          f"{m.peak_rss_mib:7.1f} MiB {m.pages} pages {m.requests} requests load {m.load_1min:.1f} "
                          f"{'ok' if m.valid else 'INVALID: ' + m.note}", flush=True)
                    if number:
                        measurements.append(m)
        summary = summarise(measurements)
        rel = ratios(summary)
        print(table(summary, rel))
        site = {k: v for k, v in asdict(manifest).items() if k not in ("pages", "root")}
        result = {
            "machine": machine(),
            "site": {"pages": len(manifest.pages), **site},
            "settings": {"concurrency": args.concurrency, "runs": args.runs, "min_coverage": MIN_COVERAGE,
                         "linkchecker_maxrequestspersecond": LINKCHECKER_MAX_RPS},
            "runs": [asdict(m) | {"pages_per_s": round(m.pages_per_s, 2),
                                  "cpu_s_per_1000_pages": round(m.cpu_s_per_1000_pages, 2)} for m in measurements],
            "summary": summary,
            "ratios": rel,
        }
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"results: {args.out}")
        return 0 if all(m.valid for m in measurements) else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
