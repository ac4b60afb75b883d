"""Every rule govmon checks, grouped by the module that checks it."""

from __future__ import annotations

from checks import availability, ipv6, links
from checks.rule import Rule

CHECKS = (links.check_links,)  # crawl-snapshot checks; probes have their own (availability, ipv6)
RULES: dict[str, Rule] = {rule.id: rule for rule in (*availability.RULES, *links.RULES, *ipv6.RULES)}
