"""The registry is validated on load: one error naming the file, the site and the field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from govmon.cli import main
from govmon.registry import RegistryError, load_registry

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
        (('concurrency = 2', 'concurrency = 0'), "'yn'", "crawl.concurrency"),
    ],
)
def test_a_bad_registry_names_file_site_and_field(tmp_path, change, site, field):
    path = tmp_path / "govmon.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(RegistryError) as error:
        load_registry(path)
    assert f"{path}: site {site}: field {field}:" in str(error.value)


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
