"""How `govmon check` scales: seconds and peak memory per 1,000 pages on 2k, 10k and 30k-page snapshots.

For each size the generated portal (bench/gen_site.py) is served by nginx on 127.0.0.1 (bench/run.py's
server) and crawled once with `govmon crawl --no-check` into a SQLite store under --work, kept there with
its registry so a rerun reuses it (--recrawl discards it: a snapshot keeps what the crawler extracted when
it was made). Each measured run copies that snapshot and runs `govmon check bench` on the copy in a child
process, as a user runs it (the rules, the verdict, tracking across runs), recording wall seconds and peak
RSS from wait4; every run starts from the same unchecked snapshot. Round 0 warms the bytecode cache and is
not counted. The summary gives medians per 1,000 pages and the marginal cost between consecutive sizes,
which leaves out what every check pays once (interpreter start, imports, the pack).

    .venv/bin/python bench/check_scale.py [--sizes 2000,10000,30000] [--runs 3] [--work DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

from run import BENCH_DIR, BIN, contender_env, machine, measure, registry_toml, serve_site

MIN_COVERAGE = 0.95
CONCURRENCY = 16
FINDINGS_LINE = re.compile(r"^run \d+: (\d+) finding", re.M)
# Run in children: a child's peak RSS from wait4 starts at the harness's RSS when it was forked (Linux keeps
# the high-water mark across exec), so the harness must stay small; generating 30,000 pages takes 600 MiB.
MIGRATE = "import sys; from govmon.store import open_store; open_store(sys.argv[1]).engine.dispose()"


@dataclass
class Snapshot:
    """One cached crawl of the generated site: what the checks run on."""

    size: int
    db: str
    registry: str
    pages: int  # HTML pages answered 200 in the run
    rows: int  # every stored response of the run (pages, assets, attachments, dead links)
    coverage: float
    crawl_wall_s: float
    govmon_commit: str


@dataclass
class CheckRun:
    size: int
    run: int
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    findings: int
    returncode: int
    load_1min: float  # other work on the machine skews wall time


def git_commit() -> str:
    """The commit the code ran from, "-dirty" when the working tree had changes (the checks run from it)."""
    done = subprocess.run(["git", "-C", str(BENCH_DIR), "describe", "--always", "--dirty"], capture_output=True,
                          text=True)
    return done.stdout.strip() or "unknown"


def stored_counts(db: Path) -> tuple[str, int, int]:
    """The latest run's status, its HTML pages answered 200 and all its stored responses."""
    with closing(sqlite3.connect(db)) as conn:
        run_id, status = conn.execute("SELECT id, status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        pages = conn.execute("SELECT count(*) FROM pages WHERE run_id = ? AND kind = 'page' AND status = 200",
                             (run_id,)).fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM pages WHERE run_id = ?", (run_id,)).fetchone()[0]
    return status, pages, rows


def crawl_snapshot(size: int, folder: Path, env: dict[str, str]) -> Snapshot:
    """Generate and serve a site of `size` pages, crawl it once without checking, and record the snapshot."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    subprocess.run([sys.executable, str(BENCH_DIR / "gen_site.py"), str(folder / "site"), "--pages", str(size)],
                   check=True, stdout=subprocess.DEVNULL)  # it writes exactly `size` pages or fails
    registry, db = folder / "registry.toml", folder / "snapshot.db"
    with serve_site(folder / "site", folder / "nginx") as origin:
        # the 30k site is 37 links deep; no spider view: the checks are measured, not a crawl's extra requests
        registry.write_text(registry_toml(origin, max_pages=2 * size + 100, max_depth=100, concurrency=CONCURRENCY,
                                          spider_view_pages=0), encoding="utf-8")
        cmd = [str(BIN / "govmon"), "crawl", "bench", "--no-check", "--config", str(registry), "--db", f"sqlite:///{db}"]
        wall, _, _, code = measure(cmd, folder, folder / "crawl.log", env)
    status, pages, rows = stored_counts(db)
    coverage = pages / size
    if code != 0 or status != "complete" or coverage < MIN_COVERAGE:
        raise RuntimeError(f"crawl of {size} pages: exit {code}, run {status}, {coverage:.1%} of pages stored; "
                           f"see {folder / 'crawl.log'}")
    shutil.rmtree(folder / "site")  # served once: the snapshot is all the checks read
    snapshot = Snapshot(size, str(db), str(registry), pages, rows, round(coverage, 4), round(wall, 1), git_commit())
    (folder / "snapshot.json").write_text(json.dumps(asdict(snapshot), indent=1) + "\n", encoding="utf-8")
    return snapshot


def snapshot_of(size: int, work: Path, env: dict[str, str], recrawl: bool) -> Snapshot:
    """The cached snapshot of this size, crawled first if there is none (or --recrawl)."""
    folder = work / f"pages-{size}"
    meta = folder / "snapshot.json"
    if recrawl or not meta.exists():
        print(f"{size} pages: generating and crawling into {folder}", flush=True)
        snapshot = crawl_snapshot(size, folder, env)
    else:
        snapshot = Snapshot(**json.loads(meta.read_text(encoding="utf-8")))
    subprocess.run([sys.executable, "-c", MIGRATE, f"sqlite:///{snapshot.db}"], check=True, cwd=work)  # once
    print(f"{size} pages: snapshot of {snapshot.pages} pages ({snapshot.rows} responses), crawled in "
          f"{snapshot.crawl_wall_s} s at {snapshot.govmon_commit}", flush=True)
    return snapshot


def check_once(snapshot: Snapshot, number: int, work: Path, env: dict[str, str]) -> CheckRun:
    """`govmon check` on a fresh copy of the snapshot, in a child process."""
    folder = Path(snapshot.db).parent
    copy = folder / f"check-{number}.db"
    with closing(sqlite3.connect(snapshot.db)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)  # a consistent copy even if the snapshot's WAL was not checkpointed
    log = folder / f"check-{number}.log"
    cmd = [str(BIN / "govmon"), "check", "bench", "--config", snapshot.registry, "--db", f"sqlite:///{copy}"]
    load = os.getloadavg()[0]
    try:
        wall, cpu, rss, code = measure(cmd, work, log, env)
    finally:
        for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            leftover.unlink(missing_ok=True)
    found = FINDINGS_LINE.search(log.read_text(encoding="utf-8", errors="replace"))
    if code != 0 or not found:
        raise RuntimeError(f"check of the {snapshot.size}-page snapshot exited {code}: see {log}")
    return CheckRun(snapshot.size, number, round(wall, 3), round(cpu, 3), round(rss, 1), int(found.group(1)), code,
                    round(load, 2))


def per_size(snapshot: Snapshot, runs: list[CheckRun]) -> dict[str, float]:
    """Medians of the measured runs of one size, whole and per 1,000 stored pages."""
    wall = statistics.median(r.wall_s for r in runs)
    cpu = statistics.median(r.cpu_s for r in runs)
    rss = statistics.median(r.peak_rss_mib for r in runs)
    thousands = snapshot.pages / 1000
    return {"pages": snapshot.pages, "responses": snapshot.rows, "runs": len(runs),
            "findings": statistics.median(r.findings for r in runs), "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2), "peak_rss_mib": round(rss, 1),
            "wall_s_per_1000_pages": round(wall / thousands, 3), "cpu_s_per_1000_pages": round(cpu / thousands, 3),
            "peak_rss_mib_per_1000_pages": round(rss / thousands, 2),
            "load_1min": [r.load_1min for r in runs]}


def marginal(summary: dict[int, dict]) -> list[dict]:
    """Cost per 1,000 extra pages between consecutive sizes: flat when the check is linear."""
    sizes = sorted(summary)
    steps = []
    for small, large in itertools.pairwise(sizes):
        a, b = summary[small], summary[large]
        thousands = (b["pages"] - a["pages"]) / 1000
        if thousands <= 0:
            continue
        steps.append({"from": small, "to": large,
                      "wall_s_per_1000_pages": round((b["wall_s"] - a["wall_s"]) / thousands, 3),
                      "cpu_s_per_1000_pages": round((b["cpu_s"] - a["cpu_s"]) / thousands, 3),
                      "peak_rss_mib_per_1000_pages": round((b["peak_rss_mib"] - a["peak_rss_mib"]) / thousands, 2)})
    return steps


def table(summary: dict[int, dict], steps: list[dict]) -> str:
    lines = [f"{'pages':>6} {'runs':>4} {'findings':>8} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8} "
             f"{'s/1k':>7} {'MiB/1k':>7}"]
    for entry in summary.values():
        lines.append(f"{entry['pages']:>6} {entry['runs']:>4} {entry['findings']:>8.0f} {entry['wall_s']:>8.2f} "
                     f"{entry['cpu_s']:>8.2f} {entry['peak_rss_mib']:>8.1f} {entry['wall_s_per_1000_pages']:>7.3f} "
                     f"{entry['peak_rss_mib_per_1000_pages']:>7.2f}")
    for step in steps:
        lines.append(f"marginal {step['from']}→{step['to']}: {step['wall_s_per_1000_pages']:.3f} s and "
                     f"{step['peak_rss_mib_per_1000_pages']:.2f} MiB per 1,000 extra pages")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000,30000", help="comma-separated page counts (default 2000,10000,30000)")
    parser.add_argument("--runs", type=int, default=3, help="measured checks per size; the median is reported (default 3)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "govmon-bench-check",
                        help="folder of the cached snapshots (default: govmon-bench-check in the temp folder)")
    parser.add_argument("--recrawl", action="store_true", help="crawl again even where a cached snapshot exists")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.runs < 1 or not sizes:
        parser.error("need at least one size and one measured run")
    args.work.mkdir(parents=True, exist_ok=True)
    env = contender_env(args.work)
    snapshots = {size: snapshot_of(size, args.work, env, args.recrawl) for size in sizes}
    runs: dict[int, list[CheckRun]] = {size: [] for size in sizes}
    for number in range(args.runs + 1):  # sizes interleaved, so a change in load touches all of them alike
        for size in sizes:
            run = check_once(snapshots[size], number, args.work, env)
            label = f"run {number}" if number else "warm-up"
            print(f"{label:<7} {size:>6} pages {run.wall_s:8.2f} s wall {run.cpu_s:8.2f} s CPU "
                  f"{run.peak_rss_mib:8.1f} MiB {run.findings} findings load {run.load_1min:.1f}", flush=True)
            if number:
                runs[size].append(run)
    summary = {size: per_size(snapshots[size], runs[size]) for size in sizes}
    steps = marginal(summary)
    print(table(summary, steps))
    harness_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the floor of every child's peak
    print(f"harness peak RSS {harness_mib:.1f} MiB (each check's peak RSS is at least this)")
    if args.out:
        result = {"machine": machine(), "code": git_commit(), "harness_peak_rss_mib": round(harness_mib, 1),
                  "settings": {"sizes": sizes, "runs": args.runs, "concurrency": CONCURRENCY},
                  "snapshots": [asdict(s) for s in snapshots.values()], "summary": summary, "marginal": steps,
                  "runs": [asdict(r) for size_runs in runs.values() for r in size_runs]}
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
