"""`govmon inspect` prints the documented facts of real page shapes, statically or rendered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.inspect import KEYS
from govmon.cli import main
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
