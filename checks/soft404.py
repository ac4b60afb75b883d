"""Soft 404s: pages that answer 200 but say the page does not exist.

One phrase is not enough (sites word it in many ways, and articles may quote
it), so two independent signals are used:

* the site's own answer to a random URL that cannot exist (the crawl fetches two
  such probes): a page whose own text, with the site template removed, matches
  that answer is the site's not-found page under another URL; a page that
  redirects where the probe was redirected is too;
* a not-found phrase in the title, a heading or a short block of the page.
"""

from __future__ import annotations

from govmon.store import Page


def _blocks(page: Page) -> set[int]:
    return set((page.facts or {}).get("fingerprint", {}).get("blocks") or ())


def _is_html_ok(page: Page) -> bool:
    return page.status == 200 and "html" in (page.content_type or "").lower() and not page.error_kind


class SoftNotFoundDetector:
    def __init__(self, probes: list[Page], home: Page | None, min_similarity: float):
        self.min_similarity = min_similarity
        self.template = _blocks(home) if home else set()
        answered = [p for p in probes if _is_html_ok(p)]
        self.signatures = [(p, _blocks(p) - self.template) for p in answered]
        self.redirect_targets = {p.final_url: p for p in answered if p.final_url and p.final_url != p.url}
        home_hash = home.content_hash if home else None
        self.home_for_unknown = bool(home_hash) and any(p.content_hash == home_hash for p in answered)
        self.home = home

    def judge(self, page: Page) -> dict | None:
        """Evidence that this page is a soft 404, or None."""
        if not _is_html_ok(page) or page is self.home:
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
