"""Hostile configuration: every bad registry or pack is one clear error (file, site, field, what is allowed) and
exit code 2, never a traceback; values outside their sane range are refused; a UTF-8 BOM is read past."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from govmon.checks.pack import load_pack
from govmon.cli import main
from govmon.registry import load_registry
from tests.servers import Reply, SiteServer

SITE = """\
[[site]]
id = "yn"
name = "云南省人民政府"
site_code = "5300000033"
home = "https://www.yn.gov.cn/"
type = "portal"
level = "省"
sponsor = "云南省人民政府办公厅"
"""


def govmon(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def refused(path: Path, *command: str) -> str:
    """The one stderr line `govmon` answers a bad file with (exit 2)."""
    result = govmon(*(command or ("sites", "check", str(path))))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return result.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("site = [1, 2]\n", "site #1: must be a [[site]] table, got 1"),
    ("[site]\nid = \"yn\"\n", "[site] must be [[site]], an array of tables"),
    (SITE + 'crawl = "fast"\n', "site 'yn': field crawl: must be a [site.crawl] table, got 'fast'"),
    ("[defaults]\ncrawl = 5\n" + SITE, "[defaults]: field crawl: must be a [defaults.crawl] table, got 5"),
    ("defaults = 5\n" + SITE, "[defaults] must be a table, got 5"),
    ("settings = 5\n" + SITE, "[settings] must be a table, got 5"),
    ("schedule = [1]\n" + SITE, "[schedule] must be a table, got [1]"),
    (SITE + "[site.crawl]\nmax_pages = \"many\"\n",
     "site 'yn': field crawl.max_pages: must be a whole number from 1 to 1000000, got 'many'"),
    (SITE + "[site.crawl]\ntimeout = \"15\"\n",  # a quoted number is a string, not silently 15 seconds
     "site 'yn': field crawl.timeout: must be a number above 0, at most 600, got '15'"),
    (SITE + "[site.crawl]\nmax_pages = true\n",
     "site 'yn': field crawl.max_pages: must be a whole number from 1 to 1000000, got true"),
    (SITE + "[site.crawl]\nautothrottle = \"yes\"\n", "site 'yn': field crawl.autothrottle: must be true or false"),
    (SITE + 'admin = ["张三"]\n', "site 'yn': field admin: must be a table, got ['张三']"),
    (SITE + 'allowed_hosts = "xxgk.yn.gov.cn"\n', "site 'yn': field allowed_hosts: must be a list"),
    (SITE + "sponsor_name = 5\n", "site 'yn': field sponsor_name: unknown field"),
    (SITE.replace('name = "云南省人民政府"', "name = 5"), "site 'yn': field name: must be a string in quotes, got 5"),
    (SITE.replace('id = "yn"', "id = 7"), "site #1: field id: must be a string in quotes, got 7"),
    (SITE + "[account]\nid = \"yn-wechat\"\n", "[[account]] must be an array of tables, got {'id': 'yn-wechat'}"),
])
def test_a_registry_value_of_the_wrong_shape_is_one_error_naming_file_site_and_field(tmp_path, text, message):
    path = tmp_path / "govmon.toml"
    path.write_text(text, encoding="utf-8")
    first, *more = refused(path).splitlines()
    assert first.startswith(f"govmon: {path}: {message}")
    assert all(line.startswith(f"{path}: site #") for line in more)  # `site = [1, 2]`: one line per entry


def test_accounts_that_are_not_tables_are_refused_by_number(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text("account = [1]\n" + SITE, encoding="utf-8")
    assert refused(path) == f"govmon: {path}: account #1: must be an [[account]] table, got 1\n"


@pytest.mark.parametrize(("text", "message"), [
    ("setings = {}\n" + SITE, "unknown top-level table 'setings' (did you mean 'settings'?)"),
    ("[defaults.craw]\ndelay = 1\n" + SITE, "[defaults]: field craw: unknown field (did you mean 'crawl'?)"),
    ("[schedule]\nmax_crawl = 1\n" + SITE, "[schedule]: field max_crawl: unknown field (did you mean 'max_crawls'?)"),
    (SITE + "[site.crawl]\nmax_page = 10\n",
     "site 'yn': field crawl.max_page: unknown field (did you mean 'max_pages'?)"),
    (SITE + "sponser = \"x\"\n", "site 'yn': field sponser: unknown field (did you mean 'sponsor'?)"),
])
def test_a_misspelled_key_is_refused_with_the_key_it_resembles(tmp_path, text, message):
    path = tmp_path / "govmon.toml"
    path.write_text(text, encoding="utf-8")
    assert refused(path) == f"govmon: {path}: {message}\n"


@pytest.mark.parametrize(("table", "setting", "message"), [
    ("site.crawl", "timeout = inf", "field crawl.timeout: must be a number above 0, at most 600, got inf"),
    ("site.crawl", "timeout = 0", "field crawl.timeout: must be a number above 0, at most 600, got 0"),
    ("site.crawl", "delay = nan", "field crawl.delay: must be a number from 0 to 60, got nan"),
    ("site.crawl", "retries = 100000000", "field crawl.retries: must be a whole number from 0 to 10, got 100000000"),
    ("site.crawl", "concurrency = -1", "field crawl.concurrency: must be a whole number from 1 to 64, got -1"),
    ("site.crawl", "concurrency = 0", "field crawl.concurrency: must be a whole number from 1 to 64, got 0"),
    ("site.crawl", "max_pages = 0", "field crawl.max_pages: must be a whole number from 1 to 1000000, got 0"),
    ("site.crawl", "max_depth = 1000", "field crawl.max_depth: must be a whole number from 0 to 100, got 1000"),
    ("site.crawl", 'user_agent = "govmon\\r\\nX-Forwarded-For: 10.0.0.1"',
     "field crawl.user_agent: one line of text without control characters, "
     "got 'govmon\\r\\nX-Forwarded-For: 10.0.0.1'"),
    ("site.crawl", 'session_params = ["sid", "a b"]',
     "field crawl.session_params: URL parameter names such as 'jsessionid', got 'a b'"),
    ("schedule", "misfire_grace = 1e9",
     "field misfire_grace: must be a whole number from 1 to 86400, got 1000000000.0"),
    ("intake", "max_body = 1073741824", "field max_body: must be a whole number from 1 to 16777216, got 1073741824"),
    ("site.crawl", "deadline_margin = 5", "field crawl.deadline_margin: must be a number from 10 to 3600, got 5"),
    ("defaults.crawl", "deadline_margin = inf", "field deadline_margin: must be a number from 10 to 3600, got inf"),
    ("intake", "header_timeout = 0", "field header_timeout: must be a number above 0, at most 600, got 0"),
    ("intake", "body_timeout = inf", "field body_timeout: must be a number above 0, at most 600, got inf"),
    ("intake", "max_connections = 100000",
     "field max_connections: must be a whole number from 1 to 1000, got 100000"),
    ("intake", "max_connections = 2.5", "field max_connections: must be a whole number from 1 to 1000, got 2.5"),
    ("intake", "verify_budget = -1", "field verify_budget: must be a number above 0, at most 21600, got -1"),
    ("intake", "verify_concurrency = 0", "field verify_concurrency: must be a whole number from 1 to 64, got 0"),
])
def test_values_outside_their_sane_range_are_refused_naming_the_range(tmp_path, table, setting, message):
    path = tmp_path / "govmon.toml"
    body = SITE + f"[{table}]\n{setting}\n" if table == "site.crawl" else f"[{table}]\n{setting}\n" + SITE
    path.write_text(body, encoding="utf-8")
    where = "site 'yn'" if table == "site.crawl" else f"[{table}]"
    assert refused(path) == f"govmon: {path}: {where}: {message}\n"


def test_the_ends_of_each_range_are_allowed(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text(SITE + "[site.crawl]\ntimeout = 600\nretries = 10\nconcurrency = 64\nmax_pages = 1\n"
                    "max_depth = 0\ndelay = 0\n", encoding="utf-8")
    crawl = load_registry(path).sites[0].crawl
    assert (crawl.timeout, crawl.retries, crawl.concurrency, crawl.max_pages, crawl.max_depth) == (600, 10, 64, 1, 0)
    path.write_text("[intake]\nheader_timeout = 600\nbody_timeout = 600\nmax_connections = 1\nverify_budget = 21600\n"
                    "verify_concurrency = 64\n" + SITE + "[site.crawl]\ndeadline_margin = 10\n", encoding="utf-8")
    registry = load_registry(path)
    intake = registry.intake
    assert (intake.header_timeout, intake.body_timeout, intake.max_connections, intake.verify_budget,
            intake.verify_concurrency, registry.sites[0].crawl.deadline_margin) == (600, 600, 1, 21600, 64, 10)


def test_every_problem_of_a_file_is_listed_each_on_its_own_line(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text("[defaults.crawl]\ntimeout = inf\n" + SITE + "[site.crawl]\nretries = -1\n" + SITE.replace(
        '"yn"', '"km"'), encoding="utf-8")
    lines = refused(path).splitlines()
    assert lines == [f"govmon: {path}: [defaults.crawl]: field timeout: must be a number above 0, at most 600, got inf",
                     f"{path}: site 'yn': field crawl.retries: must be a whole number from 0 to 10, got -1"]


def test_a_registry_pack_and_working_day_file_with_a_utf8_bom_are_read(tmp_path):
    bom = "\ufeff"
    (tmp_path / "local.toml").write_text(bom + 'extends = "national"\nid = "local"\nname = "本地"\n', encoding="utf-8")
    (tmp_path / "workdays.toml").write_text(bom + "years = [2099]\n", encoding="utf-8")
    path = tmp_path / "govmon.toml"
    path.write_text(bom + f'[settings]\npack = "{tmp_path / "local.toml"}"\nworkdays = "workdays.toml"\n' + SITE,
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["sites", "check", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 site(s) OK" in result.stdout
    assert load_pack(str(tmp_path / "local.toml")).id == "local"


def test_sites_check_also_validates_the_working_day_file_it_names(tmp_path):
    (tmp_path / "workdays.toml").write_text("yeers = [2099]\n", encoding="utf-8")
    path = tmp_path / "govmon.toml"
    path.write_text('[settings]\nworkdays = "workdays.toml"\n' + SITE, encoding="utf-8")
    assert "workdays.toml: unknown key(s) yeers" in refused(path)


def test_a_file_that_is_not_a_registry_at_all_is_an_error(tmp_path):
    nested = tmp_path / "nested.toml"
    nested.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert refused(nested) == f"govmon: {nested}: not valid TOML: arrays or tables nested too deeply\n"
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    assert f"govmon: {binary}: not valid TOML" in refused(binary)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    assert refused(folder, "crawl", "yn", "--config", str(folder)).startswith(f"govmon: {folder}: cannot read")


def test_every_command_that_reads_the_registry_refuses_a_bad_one_the_same_way(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text(SITE + 'crawl = "fast"\n', encoding="utf-8")
    line = f"govmon: {path}: site 'yn': field crawl: must be a [site.crawl] table, got 'fast'\n"
    for command in (("crawl", "yn"), ("check", "yn"), ("serve",), ("schedule", "list"), ("intake", "verify"),
                    ("inspect", "http://127.0.0.1:9/")):
        assert refused(path, *command, "--config", str(path)) == line, command


def test_an_unwritable_data_folder_is_an_error_naming_it(tmp_path):
    (tmp_path / "file").write_text("", encoding="utf-8")
    data = tmp_path / "file" / "data"  # under a file: no one may create it, root included
    path = tmp_path / "govmon.toml"
    path.write_text(f'[settings]\ndata_dir = "{data}"\n' + SITE, encoding="utf-8")
    message = refused(path, "check", "yn", "--config", str(path))
    assert message.startswith(f"govmon: {tmp_path / 'file'}") and "Not a directory" in message


def test_the_process_prints_one_line_and_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text(SITE + "[site.crawl]\ntimeout = inf\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "govmon.cli", "sites", "check", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"govmon: {path}: site 'yn': field crawl.timeout: must be a number above 0, at most 600, "
                           "got inf\n")


PACK = 'extends = "national"\nid = "local"\nname = "本地"\n'


@pytest.mark.parametrize(("text", "message"), [
    ("[rules.HOME1]\npoints = 1\n", "field rules.HOME1: no such rule (did you mean 'HOME-1'?)"),
    ("[rules.HOME-1]\nmax_age_day = 7\n",
     "field rules.HOME-1.max_age_day: unknown field (did you mean 'max_age_days'?)"),
    ("[verdict]\npass_scor = 50\n", "field verdict.pass_scor: unknown field (did you mean 'pass_score'?)"),
    ("[columns.classes.dynamics]\nmax_age_dys = 7\n",
     "field columns.classes.dynamics.max_age_dys: unknown field (did you mean 'max_age_days'?)"),
    ("[rules.HOME-1]\npoints = inf\n", "field rules.HOME-1.points: must be a number from 0 to 100, got inf"),
    ("[rules.HOME-1]\nmax_age_days = nan\n",
     "field rules.HOME-1.max_age_days: a finite non-negative number is required, got nan"),
    ("[rules.TIME-2]\nneeds = \"方案\"\n", "field rules.TIME-2.needs: a list of words is required, got '方案'"),
    ("[rectification]\nworking_days = \"10\"\n",
     "field rectification.working_days: must be a whole number above 0, got '10'"),
])
def test_a_pack_with_an_unknown_rule_or_key_is_refused_naming_file_and_key(tmp_path, text, message):
    path = tmp_path / "local.toml"
    path.write_text(PACK + text, encoding="utf-8")
    assert refused(path, "rules", "list", "--pack", str(path)) == f"govmon: {path}: {message}\n"
    registry = tmp_path / "govmon.toml"
    registry.write_text(SITE + f'pack = "{path}"\n', encoding="utf-8")
    assert refused(registry) == f"govmon: {path}: {message}\n"


def test_inspect_says_it_cannot_read_a_binary_or_empty_page(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    routes = {"/logo.png": Reply(200, png, {"Content-Type": "image/png"}),
              "/fake.html": Reply(200, png, {"Content-Type": "text/html; charset=utf-8"}),
              "/blank.html": Reply(200, b"  \n", {"Content-Type": "text/html"})}
    with SiteServer(routes) as server:
        results = {route: govmon("inspect", server.url + route, "--json") for route in routes}
    for route in ("/logo.png", "/fake.html"):
        assert results[route].exit_code == 3
        assert results[route].stderr == (f"govmon: cannot read {server.url}{route}: not an HTML page "
                                         "(binary content, HTTP 200)\n")
    assert results["/blank.html"].exit_code == 3
    assert results["/blank.html"].stderr == (f"govmon: cannot read {server.url}/blank.html: the page is empty "
                                             "(HTTP 200)\n")


def test_inspect_refuses_an_endless_timeout():
    result = govmon("inspect", "http://127.0.0.1:9/", "--timeout", "inf")
    assert result.exit_code == 2 and "--timeout" in result.stderr


@pytest.mark.parametrize(("setting", "got"), [("max_duration = inf", "inf"), ("max_page_bytes = -1", "-1"),
                                              ("max_checks = 1e12", "1000000000000.0"),
                                              ("external_concurrency = 0", "0"), ("external_delay = nan", "nan")])
def test_the_newer_crawl_limits_are_bounded_too(tmp_path, setting, got):
    path = tmp_path / "govmon.toml"
    path.write_text(SITE + f"[site.crawl]\n{setting}\n", encoding="utf-8")
    message = refused(path)
    assert message.startswith(f"govmon: {path}: site 'yn': field crawl.{setting.split()[0]}: must be a ")
    assert (" from " in message or " above " in message) and message.endswith(f", got {got}\n")
