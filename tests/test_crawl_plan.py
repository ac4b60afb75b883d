"""The day's crawls planned from politeness (schedules.plan.crawl_plan), without a scheduler: crawls at once, each
site's start and expected finish, the sites that cannot finish within the window and why, and `govmon schedule plan`.

Registries and meminfo files here are synthetic, written by the tests."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from govmon.cli import main
from govmon.registry import CrawlLimits, RegistryError, Schedule, Site, load_registry
from govmon.schedules.plan import TIMEZONE, crawl_plan, expected_duration, machine_memory_mb, plan
from govmon.schedules.replay import fire_times

DAY = 86400
WHOLE_DAY = ("00:00", "24:00")


def sites(count: int, prefix: str = "s", **crawl) -> tuple[Site, ...]:
    return tuple(Site(id=f"{prefix}{n}", name=f"站点{n}", site_code=f"{5300000000 + n}",
                      home=f"http://{prefix}{n}.example.gov.cn/", type="department", sponsor="测试办公室",
                      crawl=CrawlLimits(**crawl)) for n in range(count))


def no_overlap_in_a_slot(crawls) -> bool:
    by_slot = sorted(crawls, key=lambda c: (c.slot, c.start))
    return all(a.finish <= b.start for a, b in itertools.pairwise(by_slot) if a.slot == b.slot)


def test_a_page_every_delay_or_request_time_over_concurrency_whichever_is_longer():
    assert expected_duration(CrawlLimits(), 1.0) == (5000, 2500.0, False)  # defaults: 0.5 s delay → 41 min 40 s
    # no delay: 4 requests in flight, each 2 s
    assert expected_duration(CrawlLimits(delay=0, concurrency=4, expected_pages=1000), 2.0) == (1000, 500.0, False)
    assert expected_duration(CrawlLimits(max_pages=300, expected_pages=2000), 1.0)[0] == 300  # max_pages stops it
    # a crawl stops at its duration limit, partial: that is how long it holds its slot
    assert expected_duration(CrawlLimits(max_duration=600), 1.0) == (5000, 600.0, True)


def test_a_few_sites_fit_one_crawl_at_a_time_spread_over_the_window():
    plan_ = crawl_plan(sites(3), Schedule(), memory_mb=None)
    assert plan_.crawls_at_once == 1 and plan_.unfit == ()
    assert [(c.start, c.finish) for c in plan_.sites] == [(20 * 3600 + n * 3600, 20 * 3600 + n * 3600 + 2500)
                                                         for n in range(3)]


def test_a_province_a_day_500_sites_of_5000_pages_take_15_crawls_at_once():
    """The issue's arithmetic: 500 × 41 min 40 s is 347 site-hours, 15 crawls over 24 hours."""
    plan_ = crawl_plan(sites(500), Schedule(crawl_window=WHOLE_DAY, max_crawls=32), memory_mb=None)
    assert plan_.crawls_at_once == 15 and plan_.unfit == ()
    assert all(c.start >= 0 and c.finish <= DAY for c in plan_.sites)
    assert no_overlap_in_a_slot(plan_.sites) and {c.slot for c in plan_.sites} == set(range(15))
    assert len({c.start for c in plan_.sites}) == 500  # no two sites start at the same moment


def test_max_crawls_bounds_the_crawls_at_once_and_the_rest_are_named_with_why():
    plan_ = crawl_plan(sites(500), Schedule(crawl_window=WHOLE_DAY, max_crawls=2), memory_mb=None)
    assert (plan_.crawls_at_once, plan_.limit) == (2, 2)
    assert len(plan_.sites) - len(plan_.unfit) == 2 * (DAY // 2500)  # 34 crawls of 2,500 s in each slot's day
    assert {c.unfit for c in plan_.unfit} == {"the window is full with 2 crawls at once (at most 2: max_crawls = 2)"}
    assert all(c.finish > DAY for c in plan_.unfit) and no_overlap_in_a_slot(plan_.sites)


def test_memory_bounds_the_crawls_at_once_below_max_crawls():
    schedule = Schedule(crawl_window=WHOLE_DAY, max_crawls=32, crawl_memory_mb=400)
    plan_ = crawl_plan(sites(500), schedule, memory_mb=4000)
    assert (plan_.crawls_at_once, plan_.limit) == (10, 10)
    assert plan_.limited_by == "memory: 4000 MB for crawls, 400 MB a crawl" and len(plan_.unfit) == 500 - 10 * 34
    assert crawl_plan(sites(2), schedule, memory_mb=100).limit == 1  # less than one crawl's memory: one still runs


def test_a_crawl_longer_than_the_window_is_named_and_the_others_still_fit():
    schedule = Schedule(crawl_window=("20:00", "23:00"), max_crawls=4)
    big = sites(1, "big", max_pages=20_000, delay=1.0)  # 20,000 s, past the 3-hour window
    plan_ = crawl_plan(big + sites(2), schedule, memory_mb=None)
    (unfit,) = plan_.unfit
    assert unfit.site_id == "big0" and unfit.unfit == "its crawl alone takes 5:33:20, longer than the window (3:00:00)"
    assert plan_.crawls_at_once == 2  # the big one has a slot of its own, the two others share one
    assert all(c.finish <= 23 * 3600 for c in plan_.sites if c.site_id != "big0")


def test_the_machines_memory_is_half_its_memtotal(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:        8388608 kB\nMemFree:         1000 kB\n", encoding="ascii")
    assert machine_memory_mb(meminfo) == 4096
    assert machine_memory_mb(tmp_path / "absent") is None
    assert machine_memory_mb() is None or machine_memory_mb() > 0  # this machine's /proc/meminfo reads


REGISTRY = """\
[schedule]
crawl_window = ["00:00", "24:00"]
max_crawls = 2
memory_mb = 8000
{sites}"""
SITE = """
[[site]]
id = "{id}"
name = "测试站点"
site_code = "{code}"
home = "http://{id}.example.gov.cn/"
type = "department"
sponsor = "测试办公室"
[site.crawl]
max_pages = {pages}
delay = 1.0
"""


def registry_of(tmp_path: Path, pages: dict[str, int]) -> Path:
    path = tmp_path / "govmon.toml"
    path.write_text(REGISTRY.format(sites="".join(SITE.format(id=site, code=5300000033 + n, pages=count)
                                                  for n, (site, count) in enumerate(pages.items()))), encoding="utf-8")
    return path


def test_the_services_crawl_jobs_start_when_the_plan_says(tmp_path):
    registry = load_registry(registry_of(tmp_path, {"a": 80_000, "b": 3600, "c": 3600}))
    planned = {job.id: job for job in plan(registry, "govmon.toml", "sqlite://")}
    start = datetime(2026, 10, 1, tzinfo=TIMEZONE)
    firsts = {site: next(fire_times(planned[f"crawl:{site}"], start, start + timedelta(days=1))) - start
              for site in "abc"}
    # a (22 h 13 min) alone in slot 1 from midnight; b and c (1 h each) share slot 2, 11 h gaps, shifted half a gap
    assert firsts == {"a": timedelta(0), "b": timedelta(hours=5, minutes=30), "c": timedelta(hours=17, minutes=30)}
    assert date(2026, 10, 1) == (start + firsts["c"]).date()


def test_govmon_schedule_plan_prints_the_plan(tmp_path):
    config = registry_of(tmp_path, {"big": 100_000, "mid": 40_000, "small": 3600})
    result = CliRunner().invoke(main, ["schedule", "plan", "--config", str(config)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("crawls at once: 2 (at most 2: max_crawls = 2); window 00:00–24:00 China time")
    rows = {line.split()[0]: line.split() for line in lines[2:5]}
    # slot, start, finish, duration: mid and small share slot 2, 5 h 56 min 40 s gaps, shifted half a gap
    assert rows["mid"][1:5] == ["2", "02:58:20", "14:05:00", "11:06:40"]
    assert rows["small"][1:5] == ["2", "20:01:40", "21:01:40", "1:00:00"]
    assert rows["big"][1:6] == ["1", "00:00:00", "03:46:40", "+1", "27:46:40"]  # finishes the day after
    assert lines[5:] == ["cannot finish within the window (1 of 3; they run late):",
                         "  big: its crawl alone takes 27:46:40, longer than the window (24:00:00)"]


@pytest.mark.parametrize(("table", "problem"), [
    ('crawl_window = ["00:00", "24:30"]', "field crawl_window: two times of day"),
    ('crawl_window = ["24:00", "24:00"]', "field crawl_window: two times of day"),
    ("request_seconds = 0", "field request_seconds: must be a number above 0, at most 600, got 0"),
    ("crawl_memory_mb = 8", "field crawl_memory_mb: must be a whole number from 16 to 1048576, got 8"),
    ("memory_mb = 1.5", "field memory_mb: must be a whole number from 16 to 16777216, got 1.5"),
])
def test_the_plans_settings_are_checked(tmp_path, table, problem):
    path = registry_of(tmp_path, {"a": 10})
    key = table.split(" =")[0]
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(key + " =")]
    path.write_text("\n".join(lines).replace("[schedule]\n", f"[schedule]\n{table}\n"), encoding="utf-8")
    with pytest.raises(RegistryError, match=re.escape(problem)):
        load_registry(path)


def test_expected_pages_is_checked(tmp_path):
    path = registry_of(tmp_path, {"a": 10})
    path.write_text(path.read_text(encoding="utf-8") + "expected_pages = 0\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"field crawl\.expected_pages: must be a whole number from 1 to 1000000"):
        load_registry(path)
