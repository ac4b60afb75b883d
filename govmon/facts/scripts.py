"""What inline scripts do to the page: write visible content (the page needs rendering in a browser),
or send the browser to another URL (a redirect, which is a link of the page)."""

from __future__ import annotations

import re

from govmon.facts.document import Document, unescape_js

_WRITES_CONTENT = re.compile(
    r"document\s*\.\s*write(?:ln)?\s*\(|\.\s*(?:inner|outer)HTML\s*\+?=(?!=)|insertAdjacentHTML\s*\("
)
# A string literal assigned to location or location.href, or passed to location.replace/assign, as the
# whole value: "a" + id is not a URL. window., self., top., parent. and document. may lead, up to four of them (an
# unbounded chain is matched again from each of its links).
_LOCATION_TARGET = re.compile(
    r"""(?<![\w$.])(?:(?:window|self|top|parent|document)\s*\.\s*){0,4}location"""
    r"""(?:(?:\s*\.\s*href)?\s*=(?!=)|\s*\.\s*(?:replace|assign)\s*\()\s*"""
    r"""(["'`])((?:(?!\1)[^\\\n]|\\.)*)\1[ \t]*(?=[;)}\r\n"'`]|$)"""
)
# Strings are kept whole, comments (//, /* */ and the <!-- of old pages) blanked; a /* left open blanks the rest (the
# script does not run), so a run of unclosed /* is scanned once, not once per /*.
_STRING_OR_COMMENT = re.compile(
    r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|//[^\n]*|/\*.*?(?:\*/|\Z)|<!--[^\n]*""",
    re.DOTALL,
)


def writes_content(document: Document) -> bool:
    """True when an inline script calls document.write, assigns innerHTML/outerHTML or uses insertAdjacentHTML."""
    return any(_WRITES_CONTENT.search(source) for source in document.inline_scripts)


def location_targets(source: str) -> list[str]:
    """The URLs a script sends the browser to (location.href = "…", location.replace('…')), in order;
    commented-out code and computed values (location.pathname + location.search) give none."""
    code = _STRING_OR_COMMENT.sub(lambda match: match.group(1) or " ", source)
    return [unescape_js(match.group(2)) for match in _LOCATION_TARGET.finditer(code) if "${" not in match.group(2)]
