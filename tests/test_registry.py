"""The registry is validated on load: one error naming the file, the site and the field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from govmon.cli import main
from govmon.intake.api import ConnectionLimits
from govmon.registry import RegistryError, load_registry
from govmon.schedules.jobs import crawl_deadline

GOOD = """\
[settings]
pack = "national"

[defaults.crawl]
concurrency = 2

[[site]]
id = "yn"
name = "云南省人民政府"
site_code = "5300000033"
home = "https://www.yn.gov.cn"
allowed_hosts = ["xxgk.yn.gov.cn"]
type = "portal"
level = "省"
sponsor = "云南省人民政府办公厅"
[site.admin]
name = "张三"
email = "webmaster@yn.gov.cn"
[site.crawl]
max_pages = 800
render = "never"
robots = "obey"

[[site]]
id = "fgw"
name = "国家发展和改革委员会"
site_code = "bm04000001"
home = "https://www.ndrc.gov.cn/"
type = "department"
sponsor = "国家发展和改革委员会"
"""


def test_a_good_registry_loads_with_defaults_applied(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text(GOOD, encoding="utf-8")
    registry = load_registry(path)
    yn, fgw = registry.sites
    assert yn.home == "https://www.yn.gov.cn/"
    assert yn.hosts == {"www.yn.gov.cn", "xxgk.yn.gov.cn"}
    assert (yn.crawl.max_pages, yn.crawl.concurrency, yn.crawl.render, yn.crawl.robots) == (800, 2, "never", "obey")
    assert (fgw.crawl.concurrency, fgw.crawl.timeout, fgw.crawl.max_pages) == (2, 15.0, 5000)
    assert fgw.site_code == "bm04000001" and fgw.level is None


def test_the_service_and_intake_limits_come_from_the_registry(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text("[intake]\nheader_timeout = 2\nbody_timeout = 3.5\nmax_connections = 40\n" + GOOD.replace(
        "concurrency = 2\n", "concurrency = 2\ndeadline_margin = 45\nmax_duration = 600\n").replace(
        'robots = "obey"\n', 'robots = "obey"\ndeadline_margin = 20\n'), encoding="utf-8")
    registry = load_registry(path)
    yn, fgw = registry.sites
    assert (crawl_deadline(yn), crawl_deadline(fgw)) == (620, 645)  # the site's own margin, else the default's
    assert ConnectionLimits.of(registry.intake) == ConnectionLimits(header_timeout=2, body_timeout=3.5,
                                                                    max_connections=40)
    path.write_text(GOOD, encoding="utf-8")
    defaults = load_registry(path)
    assert crawl_deadline(defaults.sites[0]) == defaults.sites[0].crawl.duration_limit() + 300
    assert ConnectionLimits.of(defaults.intake) == ConnectionLimits()
    assert (defaults.intake.verify_budget, defaults.intake.verify_concurrency) == (1200, 4)


@pytest.mark.parametrize(
    ("change", "site", "field"),
    [
        (('site_code = "5300000033"', 'site_code = "53000000"'), "'yn'", "site_code"),
        (('home = "https://www.yn.gov.cn"', 'home = "www.yn.gov.cn"'), "'yn'", "home"),
        (('level = "省"', 'level = "州"'), "'yn'", "level"),
        (('level = "省"\n', ''), "'yn'", "level"),
        (('max_pages = 800', 'max_pages = -1'), "'yn'", "crawl.max_pages"),
        (('render = "never"', 'render = "sometimes"'), "'yn'", "crawl.render"),
        (('email = "webmaster@yn.gov.cn"', 'email = "webmaster"'), "'yn'", "admin.email"),
        (('sponsor = "国家发展和改革委员会"', 'sponser = "国家发展和改革委员会"'), "'fgw'", "sponser"),
        (('id = "fgw"\n', ''), "#2", "id"),
        (('id = "fgw"', 'id = "yn"'), "'yn'", "id"),
    ],
)
def test_a_bad_registry_names_file_site_and_field(tmp_path, change, site, field):
    path = tmp_path / "govmon.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(RegistryError) as error:
        load_registry(path)
    assert f"{path}: site {site}: field {field}:" in str(error.value)


def test_a_bad_default_is_one_error_naming_the_defaults_table_not_one_per_site(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text(GOOD.replace('concurrency = 2', 'concurrency = 0'), encoding="utf-8")
    with pytest.raises(RegistryError) as error:
        load_registry(path)
    assert str(error.value) == f"{path}: [defaults.crawl]: field concurrency: must be a whole number from 1 to 64, got 0"


def test_not_toml_and_no_sites_are_clear_errors(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text("[[site]\nid=", encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid TOML"):
        load_registry(path)
    path.write_text("[settings]\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="no \\[\\[site\\]\\] entries"):
        load_registry(path)


def test_sites_check_command(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text(GOOD, encoding="utf-8")
    ok = CliRunner().invoke(main, ["sites", "check", str(path)])
    assert ok.exit_code == 0 and "2 site(s) OK" in ok.output
    path.write_text(GOOD.replace('type = "department"', 'type = "ministry"'), encoding="utf-8")
    bad = CliRunner().invoke(main, ["sites", "check", str(path)])
    assert bad.exit_code == 2
    assert f"{path}: site 'fgw': field type:" in bad.output


ACCOUNTS = """
[[account]]
id = "yn-wechat"
platform = "微信公众号"
name = "云南发布"
sponsor = "云南省人民政府新闻办公室"
site = "yn"
mirrors = ["http://127.0.0.1:1200/wechat/mp/ynfb", "https://www.yn.gov.cn/xmt/"]
interaction = true
"""


def test_accounts_load_with_their_owning_site(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text(GOOD + ACCOUNTS, encoding="utf-8")
    registry = load_registry(path)
    (account,) = registry.accounts_of("yn")
    assert (account.platform, account.name, len(account.mirrors), account.interaction) == ("微信公众号", "云南发布", 2, True)
    assert registry.accounts_of("fgw") == ()


@pytest.mark.parametrize(("change", "message"), [
    (('platform = "微信公众号"', 'platform = "微信"'), "account 'yn-wechat': field platform"),
    (('site = "yn"', 'site = "nosuch"'), "account 'yn-wechat': field site: no site with id 'nosuch'"),
    (('mirrors = [', 'mirrors = ["ftp://x", '), "account 'yn-wechat': field mirrors: not an http(s) URL"),
    (('name = "云南发布"\n', ''), "account 'yn-wechat': field name: required field is missing"),
])
def test_a_bad_account_names_file_account_and_field(tmp_path, change, message):
    path = tmp_path / "govmon.toml"
    path.write_text(GOOD + ACCOUNTS.replace(*change), encoding="utf-8")
    with pytest.raises(RegistryError) as error:
        load_registry(path)
    assert f"{path}: {message}" in str(error.value)


def test_two_accounts_with_one_id_are_refused(tmp_path):
    path = tmp_path / "govmon.toml"
    path.write_text(GOOD + ACCOUNTS + ACCOUNTS, encoding="utf-8")
    with pytest.raises(RegistryError, match="account 'yn-wechat': field id: used by 2 accounts"):
        load_registry(path)
