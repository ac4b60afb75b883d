"""IPV6-1 … IPV6-6: does the site really serve IPv6?

Judged from one IPv6 probe's measurements (``probes.ipv6``). A lookup that timed
out proves nothing, so the rules that depend on it are not judged (the probe is
stored as incomplete) rather than reported as violations.
"""

from __future__ import annotations

from govmon.checks.pack import Pack
from govmon.checks.rule import Draft, Rule, judges

SEEDS = "《青海省2021年政务公开工作要点》（青政办〔2021〕47号）；《2022年云南省政务公开工作要点》（云政办发〔2022〕47号）"

IPV6_1 = Rule(
    id="IPV6-1", cls="deduct", title="网站域名无IPv6地址",
    summary="The site's host name has no AAAA record.",
    why="Without an AAAA record no IPv6-only visitor can reach the site; the seeds require every site to support IPv6.",
    source=f"{SEEDS}：各级政府网站全部支持IPv6",
    fix="为网站域名添加AAAA记录，并确保对应IPv6地址可提供网站服务",
    settings=("points", "cap"),
)
IPV6_2 = Rule(
    id="IPV6-2", cls="deduct", title="首页无法通过IPv6访问",
    summary="The homepage does not load over IPv6 in every probe.",
    why="An AAAA record that leads nowhere is worse than none: IPv6 visitors wait for a timeout.",
    source=f"{SEEDS}：网站支持IPv6访问",
    fix="检查IPv6地址上的Web服务、防火墙与负载均衡配置，确保首页可通过IPv6完整打开",
    settings=("homepage_attempts", "min_success_ratio", "load_timeout", "points", "cap"),
)
IPV6_3 = Rule(
    id="IPV6-3", cls="advice", title="IPv6与IPv4首页内容不一致",
    summary="The homepage served over IPv6 differs from the IPv4 one (status, title or text).",
    why="A stale or placeholder page behind the IPv6 address means IPv6 visitors see a different site.",
    source=f"{SEEDS}：网站支持IPv6访问",
    fix="使IPv6与IPv4指向同一网站服务与内容，避免IPv6访问到旧站或默认页",
    settings=("min_similarity",),
)
IPV6_4 = Rule(
    id="IPV6-4", cls="deduct", title="二、三级页面IPv6支持度不足",
    summary="Too few second- and third-level pages load over IPv6.",
    why="Seed 002 asks that at least 90% of second- and third-level pages be reachable over IPv6, not only the homepage.",
    source="《青海省2021年政务公开工作要点》（青政办〔2021〕47号）：二、三级页面IPv6支持度不低于90%",
    fix="对清单中IPv6无法访问的栏目与页面逐一排查（反向代理、CDN、应用服务器的IPv6配置）",
    settings=("min_support_ratio", "max_pages", "points", "cap"),
)
IPV6_5 = Rule(
    id="IPV6-5", cls="advice", title="标注支持IPv6但实际不可用",
    summary="The site says it supports IPv6 (badge or text) while IPv6 fails.",
    why="A badge nobody verifies misleads supervisors and visitors alike.",
    source=f"{SEEDS}；云南省人民政府门户网站页脚“网站支持IPv6”标识",
    fix="修复IPv6访问问题；修复前撤下“支持IPv6”标识",
)
IPV6_6 = Rule(
    id="IPV6-6", cls="advice", title="域名解析服务器不支持IPv6",
    summary="None of the domain's authoritative name servers has an IPv6 address.",
    why="Full IPv6 support includes resolving the name over IPv6.",
    source=f"{SEEDS}：全面支持IPv6",
    fix="为域名的权威DNS服务器配置IPv6地址（或选用支持IPv6的DNS服务商）",
)
RULES = (IPV6_1, IPV6_2, IPV6_3, IPV6_4, IPV6_5, IPV6_6)

_ABSENT = {"no_answer", "nxdomain"}
_TITLES = {rule.id: rule.title for rule in RULES}


def _absent(lookup: dict | None) -> bool:
    return bool(lookup) and not lookup["values"] and (lookup["error"] in _ABSENT or lookup["error"] is None)


@judges(IPV6_1, on="ipv6_probe")
def check_ipv6_1(m: dict, pack: Pack, places_cap: int) -> list[Draft]:
    host, dns = m["host"], m["dns"]
    if not _absent(dns["aaaa"]):
        return []
    return [Draft("IPV6-1", host, {
        "reason": "no_aaaa", "status": None, "detail": f"{host} 没有AAAA记录", "dns_error": dns["aaaa"]["error"],
        "a": dns["a"]["values"], "location": f"网站域名 {host}"})]


@judges(IPV6_2, on="ipv6_probe")
def check_ipv6_2(m: dict, pack: Pack, places_cap: int) -> list[Draft]:
    v6 = m["homepage"]["ipv6"]
    if not v6["attempts"] or v6["ratio"] >= pack.rule("IPV6-2")["min_success_ratio"]:
        return []
    errors = sorted({f["error_kind"] or f"http_{f['status']}" for f in v6["fetches"] if not f["ok"]})
    return [Draft("IPV6-2", m["url"], {
        "reason": "ipv6_homepage", "status": None, "address": v6["address"],
        "detail": f"通过IPv6地址 {v6['address']} 访问首页 {v6['attempts']} 次，成功 {v6['successes']} 次",
        "errors": errors, "successes": v6["successes"], "attempts": v6["attempts"]})]


@judges(IPV6_3, on="ipv6_probe")
def check_ipv6_3(m: dict, pack: Pack, places_cap: int) -> list[Draft]:
    comparison = m.get("comparison")
    if not comparison:
        return []
    minimum = pack.rule("IPV6-3")["min_similarity"]
    differs = [name for name, same in (("状态码", comparison["status_v4"] == comparison["status_v6"]),
                                       ("标题", comparison["title_v4"] == comparison["title_v6"]),
                                       ("正文", comparison["similarity"] >= minimum)) if not same]
    if not differs:
        return []
    return [Draft("IPV6-3", m["url"], {
        "reason": "ipv6_differs", "status": comparison["status_v6"],
        "detail": f"IPv6与IPv4首页{'、'.join(differs)}不一致（正文相似度 {comparison['similarity']:.2f}，"
                  f"要求 ≥ {minimum:g}）", **comparison})]


@judges(IPV6_4, on="ipv6_probe")
def check_ipv6_4(m: dict, pack: Pack, places_cap: int) -> list[Draft]:
    pages = m.get("pages")
    if not pages or not pages["total"]:
        return []
    minimum = pack.rule("IPV6-4")["min_support_ratio"]
    if pages["ratio"] >= minimum:
        return []
    failing = pages["failing"]
    return [Draft("IPV6-4", m["url"], {
        "reason": "ipv6_pages", "status": None,
        "detail": f"二、三级页面 {pages['total']} 个，IPv6可访问 {pages['ok']} 个，支持度 {pages['ratio']:.1%}"
                  f"（要求 ≥ {minimum:.0%}）", "total": pages["total"], "ok": pages["ok"], "ratio": pages["ratio"]},
        places=[{"page": f["url"], "tag": "ipv6", "attr": "", "text": f["error_kind"] or f"http_{f['status']}"}
                for f in failing[:places_cap]], places_total=len(failing))]


@judges(IPV6_5, on="ipv6_probe")
def check_ipv6_5(m: dict, pack: Pack, places_cap: int) -> list[Draft]:
    """A claim of IPv6 support is judged against the rules that show IPv6 failing (IPV6-1, IPV6-2, IPV6-4)."""
    if not m.get("claim"):
        return []
    broken = {d.rule for unit in (check_ipv6_1, check_ipv6_2, check_ipv6_4) for d in unit(m, pack, places_cap)}
    if not broken:
        return []
    home = m["url"]
    shown = m["claim"].partition(":")[2]  # "text:网站支持IPv6" or "img:<badge src>"
    return [Draft("IPV6-5", home, {
        "reason": "ipv6_claim", "status": None, "claim": m["claim"],
        "detail": f"首页标注支持IPv6（“{shown}”），但{'、'.join(_TITLES[rule] for rule in sorted(broken))}"},
        places=[{"page": home, "tag": "page", "attr": "", "text": f"首页的“{shown}”标识"}], places_total=1)]


@judges(IPV6_6, on="ipv6_probe")
def check_ipv6_6(m: dict, pack: Pack, places_cap: int) -> list[Draft]:
    dns = m["dns"]
    ns_aaaa = dns.get("ns_aaaa") or {}
    if not (dns.get("ns") and dns["ns"]["values"] and ns_aaaa and all(_absent(v) for v in ns_aaaa.values())):
        return []
    return [Draft("IPV6-6", dns["zone"], {
        "reason": "ns_no_aaaa", "status": None, "name_servers": sorted(ns_aaaa),
        "detail": f"{dns['zone']} 的权威域名服务器 {', '.join(sorted(ns_aaaa))} 均无IPv6地址",
        "location": f"域名 {dns['zone']} 的权威域名服务器"},
        places=[{"page": server, "tag": "dns", "attr": "", "text": "无IPv6地址（AAAA记录）"}
                for server in sorted(ns_aaaa)], places_total=len(ns_aaaa))]


def check_ipv6(m: dict, pack: Pack, places_cap: int) -> list[Draft]:
    """Every IPv6 rule on one probe's measurements, in rule order."""
    return [draft for unit in (check_ipv6_1, check_ipv6_2, check_ipv6_3, check_ipv6_4, check_ipv6_5, check_ipv6_6)
            for draft in unit(m, pack, places_cap)]
