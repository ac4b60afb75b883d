"""Every rule govmon checks, and the function that checks each group of them."""

from __future__ import annotations

from checks import links
from checks.rule import Rule

CHECKS = (links.check_links,)
RULES: dict[str, Rule] = {rule.id: rule for rule in links.RULES}
