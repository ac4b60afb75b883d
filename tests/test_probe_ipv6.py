"""`govmon probe ipv6 --json` on each scenario: a local DNS server and HTTP servers on 127.0.0.1 and [::1]."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from govmon.cli import main
from govmon.demo.dns import LocalDNS, Zone
from tests.conftest import write_registry
from tests.servers import SilentServer, SiteServer, closed_port, html, on_both_stacks

HOST = "www.x.gov.cn"
NATIONAL = Path(str(files("govmon.checks") / "packs" / "national.toml"))


@pytest.fixture
def fast_pack(tmp_path) -> str:
    """The national pack with short timeouts and two homepage loads, so failing scenarios end quickly."""
    text = NATIONAL.read_text(encoding="utf-8")
    text = text.replace("homepage_attempts = 5", "homepage_attempts = 2").replace("load_timeout = 15.0", "load_timeout = 2.0")
    path = tmp_path / "fast.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def zone(aaaa: bool = True, ns_aaaa: bool = True) -> Zone:
    z = Zone().add(HOST, "A", "127.0.0.1").add("x.gov.cn", "NS", "ns1.x.gov.cn").add("ns1.x.gov.cn", "A", "127.0.0.1")
    if aaaa:
        z.add(HOST, "AAAA", "::1")
    if ns_aaaa:
        z.add("ns1.x.gov.cn", "AAAA", "::1")
    return z


def portal(pages: int = 10, claim: bool = True, title: str = "测试市人民政府", words: str = "欢迎访问") -> dict:
    links = "".join(f'<a href="/p{i}.html">栏目{i}</a>' for i in range(pages))
    footer = "<div id='footer'>网站支持IPv6 主办单位：测试市人民政府办公室</div>" if claim else "<div id='footer'>主办单位：测试</div>"
    routes = {"/": html(f"<html><head><title>{title}</title></head><body><p>{words}</p>{links}{footer}</body></html>")}
    routes.update({f"/p{i}.html": html(f"<html><title>栏目{i}</title><body>内容{i}</body></html>") for i in range(pages)})
    return routes


def probe(dns: LocalDNS, port: int, db: str, pack: str) -> dict:
    result = CliRunner().invoke(main, ["probe", "ipv6", "--url", f"http://{HOST}:{port}/", "--resolver", dns.address,
                                       "--db", db, "--pack", pack, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rules(result: dict) -> set[str]:
    return {f["rule"] for f in result["findings"]}


def test_dual_stack_healthy(db_url, fast_pack):
    v4, v6 = on_both_stacks(lambda p: SiteServer(portal(), port=p), lambda p: SiteServer(portal(), host="::1", port=p))
    with LocalDNS(zone()) as dns, v4, v6:
        result = probe(dns, v4.port, db_url, fast_pack)
    m = result["measurements"]
    assert result["status"] == "complete" and rules(result) == set()
    assert (m["dns"]["a"]["values"], m["dns"]["aaaa"]["values"]) == (["127.0.0.1"], ["::1"])
    assert m["homepage"]["ipv6"]["successes"] == m["homepage"]["ipv6"]["attempts"] == 2
    assert m["comparison"]["similarity"] == 1.0 and m["claim"]
    assert (m["pages"]["total"], m["pages"]["ok"], m["pages"]["ratio"], m["pages"]["source"]) == (10, 10, 1.0, "sample")
    assert all(v6.hits.count(("GET", f"/p{i}.html")) == 1 for i in range(10))
    for family in ("ipv4", "ipv6"):
        timings = m["timings"][family]
        assert timings["dns_ms"] is not None and timings["connect_ms"] <= timings["first_byte_ms"] <= timings["load_ms"]


def test_ipv6_1_ipv4_only_site_has_no_aaaa_and_its_badge_lies(db_url, fast_pack):
    with LocalDNS(zone(aaaa=False, ns_aaaa=False)) as dns, SiteServer(portal()) as v4:
        port = v4.port
        result = probe(dns, port, db_url, fast_pack)
    assert rules(result) == {"IPV6-1", "IPV6-5", "IPV6-6"}
    assert result["measurements"]["homepage"]["ipv6"]["attempts"] == 0 and result["measurements"]["pages"] is None


def test_ipv6_2_aaaa_pointing_to_a_closed_port(db_url, fast_pack):
    v4, _closed = on_both_stacks(lambda p: SiteServer(portal(), port=p))
    with LocalDNS(zone()) as dns, v4:
        result = probe(dns, v4.port, db_url, fast_pack)
    m = result["measurements"]
    assert rules(result) == {"IPV6-2", "IPV6-4", "IPV6-5"}
    assert {f["error_kind"] for f in m["homepage"]["ipv6"]["fetches"]} == {"connection_refused"}
    assert (m["pages"]["ok"], m["pages"]["ratio"]) == (0, 0.0)


def test_aaaa_pointing_to_a_server_that_never_answers(db_url, fast_pack):
    v4, silent = on_both_stacks(lambda p: SiteServer(portal(pages=2), port=p), lambda p: SilentServer("::1", p))
    with LocalDNS(zone()) as dns, v4, silent:
        result = probe(dns, v4.port, db_url, fast_pack)
    assert rules(result) == {"IPV6-2", "IPV6-4", "IPV6-5"}
    assert {f["error_kind"] for f in result["measurements"]["homepage"]["ipv6"]["fetches"]} == {"timeout"}


@pytest.mark.parametrize(("failing", "expect_finding"), [(1, False), (2, True)])
def test_ipv6_4_partial_ipv6_at_the_90_percent_boundary(db_url, fast_pack, failing, expect_finding):
    v6_routes = portal()
    for i in range(failing):
        v6_routes[f"/p{i}.html"] = html("<html><body>bad gateway</body></html>", status=502)
    v4, v6 = on_both_stacks(lambda p: SiteServer(portal(), port=p), lambda p: SiteServer(v6_routes, host="::1", port=p))
    port = v4.port
    with LocalDNS(zone()) as dns, v4, v6:
        result = probe(dns, port, db_url, fast_pack)
    pages = result["measurements"]["pages"]
    assert (pages["total"], pages["ok"]) == (10, 10 - failing)
    assert sorted(f["url"] for f in pages["failing"]) == [f"http://{HOST}:{port}/p{i}.html" for i in range(failing)]
    assert ("IPV6-4" in rules(result)) is expect_finding  # 9 of 10 is exactly 90%: supported
    if expect_finding:
        finding = next(f for f in result["findings"] if f["rule"] == "IPV6-4")
        assert finding["places_total"] == 2 and finding["evidence"]["ratio"] == 0.8


def test_ipv6_3_different_content_over_ipv6(db_url, fast_pack):
    old_site = portal(title="测试市人民政府（旧版）", words="本站正在建设中 " * 30)
    v4, v6 = on_both_stacks(lambda p: SiteServer(portal(), port=p), lambda p: SiteServer(old_site, host="::1", port=p))
    with LocalDNS(zone()) as dns, v4, v6:
        result = probe(dns, v4.port, db_url, fast_pack)
    assert rules(result) == {"IPV6-3"}
    comparison = result["measurements"]["comparison"]
    assert comparison["title_v6"] != comparison["title_v4"] and comparison["similarity"] < 0.9


@pytest.mark.parametrize("claim", [True, False])
def test_ipv6_5_a_badge_on_a_site_whose_ipv6_fails(db_url, fast_pack, claim):
    v4, _closed = on_both_stacks(lambda p: SiteServer(portal(claim=claim), port=p))
    with LocalDNS(zone()) as dns, v4:
        result = probe(dns, v4.port, db_url, fast_pack)
    badge = [f for f in result["findings"] if f["rule"] == "IPV6-5"]
    assert len(badge) == int(claim)  # without the badge, the failure is IPV6-2 alone
    if claim:
        assert badge[0]["evidence"]["claim"] == "text:网站支持IPv6"
        assert badge[0]["evidence"]["detail"] == ("首页标注支持IPv6（“网站支持IPv6”），"
                                                  "但首页无法通过IPv6访问、二、三级页面IPv6支持度不足")


def test_ipv6_6_name_servers_without_ipv6_on_a_dual_stack_site(db_url, fast_pack):
    v4, v6 = on_both_stacks(lambda p: SiteServer(portal(), port=p), lambda p: SiteServer(portal(), host="::1", port=p))
    with LocalDNS(zone(ns_aaaa=False)) as dns, v4, v6:
        result = probe(dns, v4.port, db_url, fast_pack)
    assert rules(result) == {"IPV6-6"}
    evidence = result["findings"][0]["evidence"]
    assert evidence["name_servers"] == ["ns1.x.gov.cn"]
    assert evidence["detail"] == "x.gov.cn 的权威域名服务器 ns1.x.gov.cn 均无IPv6地址"


def test_dns_timeout_is_incomplete_not_a_violation(db_url, fast_pack):
    z = zone()
    z.records[HOST].pop("AAAA")
    z.silent.add("ns1.x.gov.cn")
    with LocalDNS(z) as dns, SiteServer(portal()) as v4:
        port = v4.port
        result = probe(dns, port, db_url, fast_pack)
    assert result["status"] == "incomplete"
    assert "IPV6-6" not in rules(result)  # the name server's AAAA timed out: not judged
    z2 = zone()
    z2.silent.add(HOST)
    with LocalDNS(z2) as dns:
        result = probe(dns, port, db_url, fast_pack)
    assert result["status"] == "incomplete" and rules(result) == set()
    assert result["measurements"]["dns"]["aaaa"]["error"] == "timeout"


def test_a_name_that_does_not_exist_is_incomplete_not_a_finding(db_url, fast_pack):
    with LocalDNS(Zone().add("x.gov.cn", "NS", "ns1.x.gov.cn").add("ns1.x.gov.cn", "A", "127.0.0.1")) as dns:
        result = probe(dns, closed_port(), db_url, fast_pack)
    assert result["measurements"]["dns"]["a"]["error"] == "nxdomain"
    assert (result["status"], result["measurements"]["host_exists"], result["findings"]) == ("incomplete", False, [])


def test_url_probe_asks_the_registrys_dns_server_when_given_a_registry(db_url, fast_pack, tmp_path):
    v4, v6 = on_both_stacks(lambda p: SiteServer(portal(), port=p), lambda p: SiteServer(portal(), host="::1", port=p))
    registry = write_registry(tmp_path / "govmon.toml", "http://127.0.0.1/")
    with LocalDNS(zone()) as dns, v4, v6:
        registry.write_text(f'[settings]\nresolver = "{dns.address}"\n\n' + registry.read_text(encoding="utf-8"),
                            encoding="utf-8")
        result = CliRunner().invoke(main, ["probe", "ipv6", "--url", f"http://{HOST}:{v4.port}/", "--config",
                                           str(registry), "--db", db_url, "--pack", fast_pack, "--json"])
    assert result.exit_code == 0, result.output
    measured = json.loads(result.output)["measurements"]
    assert measured["resolver"] == dns.address and measured["dns"]["aaaa"]["values"] == ["::1"]
