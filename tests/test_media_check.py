"""`govmon media check` against real local mirrors: verdicts, a broken mirror reported as unknown, and the
accounts' findings in the owning site's rectification list."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from govmon.cli import main
from govmon.config import CHINA_TZ
from govmon.store import MediaCheck, open_store
from tests.conftest import write_registry
from tests.servers import Reply, SiteServer, html


def rss(*ages_days: int, description: str = "政务信息") -> Reply:
    now = datetime.now(CHINA_TZ)
    items = "".join(f"<item><title>第{n}条推文</title><link>http://127.0.0.1/p{n}</link>"
                    f"<pubDate>{(now - timedelta(days=age)).strftime('%a, %d %b %Y %H:%M:%S +0800')}</pubDate></item>"
                    for n, age in enumerate(ages_days))
    body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>账号</title>'
            f"<link>http://127.0.0.1/</link><description>{description}</description>{items}</channel></rss>")
    return Reply(200, body, {"Content-Type": "application/xml; charset=utf-8"})


ROUTES = {
    "/": html("<html><head><title>首页</title></head><body><a href='/xmt/'>政务新媒体</a></body></html>"),
    "/feeds/active": rss(1, 30),
    "/feeds/silent": rss(15, 40),
    "/feeds/closed": rss(description="该账号已注销"),
    "/feeds/down": Reply(503, "RSSHub is down", {"Content-Type": "text/plain"}),
    "/feeds/broken": Reply(200, "<?xml version='1.0'?><rss><channel><item><title>半截", {"Content-Type": "application/xml"}),
}


def accounts(base: str) -> str:
    rows = [("active", "微信公众号", "/feeds/active", "true"), ("silent", "微博", "/feeds/silent", "true"),
            ("closed", "抖音", "/feeds/closed", "true"), ("down", "今日头条", "/feeds/down\", \"" + base + "/feeds/broken",
                                                         "false")]
    return "".join(f'\n[[account]]\nid = "{key}"\nplatform = "{platform}"\nname = "测试{key}"\nsponsor = "测试办"\n'
                   f'site = "t"\nmirrors = ["{base}{path}"]\ninteraction = {flag}\n' for key, platform, path, flag in rows)


def test_media_check_gives_each_verdict_and_a_broken_mirror_is_unknown(tmp_path):
    db = f"sqlite:///{tmp_path / 'g.db'}"
    with SiteServer(ROUTES) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/")
        registry.write_text(registry.read_text(encoding="utf-8") + accounts(server.url), encoding="utf-8")
        result = CliRunner().invoke(main, ["media", "check", "t", "--json", "--config", str(registry), "--db", db])
    assert result.exit_code == 0, result.output
    checks = {c["account"]: c for c in json.loads(result.output)}
    assert {k: c["verdict"] for k, c in checks.items()} == {"active": "active", "silent": "dormant",
                                                           "closed": "closed", "down": "unknown"}
    assert [f["rule"] for f in checks["silent"]["findings"]] == ["MEDIA-1"]
    assert [f["rule"] for f in checks["closed"]["findings"]] == ["MEDIA-2"]
    assert [f["rule"] for f in checks["down"]["findings"]] == ["MEDIA-3"]  # from the registry, never from a mirror
    reason = checks["down"]["reason"]
    assert "HTTP 503" in reason and "无法解析" in reason  # both mirrors failed, each says why
    assert [m["error"] is None for m in checks["active"]["mirrors"]] == [True]
    with open_store(db).session() as session:
        assert session.scalar(select(MediaCheck).where(MediaCheck.account_id == "silent")).latest_title == "第0条推文"


def test_account_findings_join_the_sites_rectification_list(tmp_path):
    db = f"sqlite:///{tmp_path / 'g.db'}"
    runner = CliRunner()
    with SiteServer(ROUTES) as server:
        registry = write_registry(tmp_path / "govmon.toml", server.url + "/")
        registry.write_text(registry.read_text(encoding="utf-8") + accounts(server.url), encoding="utf-8")
        assert runner.invoke(main, ["media", "check", "--config", str(registry), "--db", db]).exit_code == 0
        crawl = subprocess.run([sys.executable, "-m", "govmon.cli", "crawl", "t", "--config", str(registry), "--db", db],
                               capture_output=True, text=True, timeout=120)  # the reactor runs once per process
        assert crawl.returncode == 0, crawl.stderr
    out = tmp_path / "out"
    reported = runner.invoke(main, ["report", "t", "--config", str(registry), "--db", db, "--out", str(out),
                                    "--format", "json,html"])
    assert reported.exit_code == 0, reported.output
    doc = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "<h2>政务新媒体账号</h2>" in page and "无法判断（镜像不可用）" in page and "长期未更新" in page
    rules = sorted((f["rule"], f["target"]) for f in doc["findings"] if f["rule"].startswith("MEDIA"))
    assert rules == [("MEDIA-1", "account:silent"), ("MEDIA-2", "account:closed"), ("MEDIA-3", "account:down")]
    assert {m["account"]: m["verdict"] for m in doc["media"]}["down"] == "unknown"
    assert "MEDIA:down" in doc["verdict"]["unjudged"]
    assert "MEDIA-4" in doc["verdict"]["unjudged"]  # the registry's accounts reach the check; the site lists none
