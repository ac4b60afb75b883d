"""Soft 404s: pages that answer 200 but say the page does not exist, or send the visitor where missing URLs go.

One phrase is not enough (sites word it in many ways, and articles may quote
it), so two independent signals are used:

* the site's own answer to a random URL that cannot exist (the crawl fetches two
  such probes): a page whose own text, with the site template removed, matches
  that answer is the site's not-found page under another URL; a page that
  redirects where the probe was redirected is too, and so is one whose redirect out of
  the site (not followed by the crawl) points where the probe's did (never the site's
  homepage: a homepage redirecting out of the site fails the crawl, nothing is judged);
* a not-found phrase in the title, a heading or a short block of the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from govmon.checks.snapshot import FetchedPage


def _blocks(page: FetchedPage) -> set[int]:
    return set((page.facts or {}).get("fingerprint", {}).get("blocks") or ())


def _is_html_ok(page: FetchedPage) -> bool:
    return page.status == 200 and "html" in (page.content_type or "").lower() and not page.error_kind


class SoftNotFoundDetector:
    def __init__(self, probes: Sequence[FetchedPage], home: FetchedPage | None, min_similarity: float,
                 offsite_redirects: Mapping[int, str] | None = None):
        """``offsite_redirects``: page id → where its HTTP redirect out of the site points (Snapshot's)."""
        self.min_similarity = min_similarity
        self.offsite_redirects = offsite_redirects or {}
        self.offsite_targets = {target: p for p in probes if (target := self.offsite_redirects.get(p.id))}
        self.template = _blocks(home) if home else set()
        answered = [p for p in probes if _is_html_ok(p)]
        self.signatures = [(p, _blocks(p) - self.template) for p in answered]
        self.redirect_targets = {p.final_url: p for p in answered if p.final_url and p.final_url != p.url}
        home_hash = home.content_hash if home else None
        self.home_for_unknown = bool(home_hash) and any(p.content_hash == home_hash for p in answered)
        self.home = home

    def judge(self, page: FetchedPage) -> dict | None:
        """Evidence that this page is a soft 404, or None."""
        if page is self.home:
            return None
        target = self.offsite_redirects.get(page.id)
        if target is not None:
            probe = self.offsite_targets.get(target)
            return None if probe is None else {
                "signal": "same_redirect", "probe": probe.url, "redirect": target,
                "detail": f"返回 HTTP {page.status}，跳转到站外地址 {target}，与随机不存在地址 {probe.url} 的跳转相同",
            }
        if not _is_html_ok(page):
            return None
        phrase = (page.facts or {}).get("fingerprint", {}).get("not_found")
        if phrase:
            return {"signal": "phrase", "phrase": phrase, "detail": f"返回 200，但页面提示“{phrase}”"}
        probe = self.redirect_targets.get(page.final_url)
        if probe is not None:
            return {
                "signal": "same_redirect", "probe": probe.url,
                "detail": f"返回 200，但跳转到与不存在地址相同的页面 {page.final_url}",
            }
        if self.home_for_unknown and page.content_hash == self.home.content_hash:
            return {"signal": "homepage", "detail": "返回 200，但内容就是首页（网站对不存在的地址返回首页）"}
        own = _blocks(page) - self.template
        for probe, signature in self.signatures:
            if not signature or not own:
                continue
            similarity = len(own & signature) / len(own | signature)
            if similarity >= self.min_similarity:
                return {
                    "signal": "probe", "probe": probe.url, "similarity": round(similarity, 2),
                    "detail": f"返回 200，但页面正文与随机不存在地址 {probe.url} 的响应相同（相似度 {similarity:.2f}）",
                }
        return None
