"""`govmon inspect` prints the documented facts of real page shapes, statically or rendered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govmon.cli import main
from govmon.demo.dns import LocalDNS, Zone
from govmon.inspect import KEYS
from tests.conftest import write_registry
from tests.servers import Reply, SiteServer, html

PAGES = Path(__file__).parent / "pages"


def serve_fixture(name: str, content_type: str = "text/html") -> Reply:
    return Reply(200, (PAGES / name).read_bytes(), {"Content-Type": content_type})


def inspect(url: str, *extra: str) -> dict:
    result = CliRunner().invoke(main, ["inspect", url, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("yunnan_article.html", {"encoding": "utf-8", "site_code": "5300000033", "icp": "滇ICP备05000002号",
                                 "police_record": "滇公网安备53010202000476号", "sponsor": "云南省人民政府办公厅"}),
        ("sichuan_article.html", {"published": "2022-01-10", "site_code": "5100000062", "icp": "蜀ICP备05028878号",
                                  "police_record": "51090302000233", "sponsor": "四川省人民政府办公厅"}),
        ("gbk_declared_gb2312.html", {"encoding": "gb18030", "title": "朱镕基同志视察我县纪实",
                                      "published": "2021-07-05", "column": "乡镇动态"}),
        ("docwrite_footer.html", {"site_code": "5323000001", "icp": "滇ICP备12000001号"}),
    ],
)
def test_inspect_json_has_the_documented_keys_and_facts(fixture, expected):
    with SiteServer({"/t.html": serve_fixture(fixture)}) as server:
        facts = inspect(server.url + "/t.html")
    assert tuple(facts) == KEYS
    assert facts["status"] == 200 and facts["final_url"] == server.url + "/t.html"
    assert isinstance(facts["links"], int)
    assert {key: facts[key] for key in expected} == expected


def test_inspect_reports_error_pages_and_unreachable_hosts():
    with SiteServer({}) as server:
        facts = inspect(server.url + "/missing.html")
    assert facts["status"] == 404
    result = CliRunner().invoke(main, ["inspect", "http://127.0.0.1:9/x", "--json", "--timeout", "2"])
    assert result.exit_code == 3 and "cannot fetch" in result.output


SCRIPTED = """<html><head><meta charset="utf-8"><title>首页</title></head><body><a href="/a.html">a</a>
<div id="footer"></div>
<script>
  var code = ['53', '01', '000001'].join('');
  document.getElementById('footer').innerHTML = '主办单位：滇中市人民政府办公室 网站标识码：' + code;
</script></body></html>"""


def test_render_runs_the_page_scripts_in_chromium():
    with SiteServer({"/": html(SCRIPTED)}) as server:
        static = inspect(server.url + "/")
        rendered = inspect(server.url + "/", "--render")
    assert static["site_code"] is None
    assert rendered["site_code"] == "5301000001"
    assert rendered["sponsor"] == "滇中市人民政府办公室"


def test_a_url_without_a_scheme_is_fetched_over_http_and_a_malformed_one_is_an_error_not_a_traceback():
    with SiteServer({"/t.html": serve_fixture("yunnan_article.html")}) as server:
        facts = inspect(server.url.removeprefix("http://") + "/t.html")
    assert facts["url"] == server.url + "/t.html" and facts["status"] == 200 and facts["site_code"] == "5300000033"
    for url in ("http://[::1", "http://127.0.0.1:port/", "ftp://127.0.0.1/"):
        result = CliRunner().invoke(main, ["inspect", url, "--json"])
        assert result.exit_code == 3 and result.output.startswith("govmon: cannot fetch"), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_with_a_registry_the_page_is_fetched_from_the_address_its_dns_server_gives(tmp_path):
    """The registry's resolver, as the crawl uses it: names that only that server knows, redirects between them."""
    zone = Zone().add("www.x.gov.cn", "A", "127.0.0.1").add("x.gov.cn", "A", "127.0.0.1")
    with SiteServer({"/t.html": serve_fixture("yunnan_article.html")}) as server, LocalDNS(zone) as dns:
        with SiteServer({"/old.html": Reply(301, b"", {"Location": f"http://www.x.gov.cn:{server.port}/t.html"})}) \
                as old:
            registry = write_registry(tmp_path / "govmon.toml", f"http://www.x.gov.cn:{server.port}/")
            registry.write_text(f'[settings]\nresolver = "{dns.address}"\n\n' + registry.read_text(encoding="utf-8"),
                                encoding="utf-8")
            facts = inspect(f"www.x.gov.cn:{server.port}/t.html", "--config", str(registry))
            moved = inspect(f"http://x.gov.cn:{old.port}/old.html", "--config", str(registry))
    assert (facts["status"], facts["site_code"]) == (200, "5300000033")
    assert moved["final_url"] == f"http://www.x.gov.cn:{server.port}/t.html" and moved["status"] == 200


def test_render_with_a_registry_loads_the_page_from_the_address_its_dns_server_gives(tmp_path):
    zone = Zone().add("www.x.gov.cn", "A", "127.0.0.1")
    with SiteServer({"/": html(SCRIPTED)}) as server, LocalDNS(zone) as dns:
        registry = write_registry(tmp_path / "govmon.toml", f"http://www.x.gov.cn:{server.port}/")
        registry.write_text(f'[settings]\nresolver = "{dns.address}"\n\n' + registry.read_text(encoding="utf-8"),
                            encoding="utf-8")
        rendered = inspect(f"http://www.x.gov.cn:{server.port}/", "--render", "--config", str(registry))
    assert (rendered["status"], rendered["site_code"]) == (200, "5301000001")
