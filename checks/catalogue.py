"""Every rule govmon checks, grouped by the module that checks it."""

from __future__ import annotations

from govmon.checks import availability, citizen_reports, columns, identity, interaction, ipv6, links, media, timeliness
from govmon.checks.rule import Rule

# Crawl-snapshot checks, each check(snapshot, context) → drafts; probes have their own (availability, ipv6), new-media
# accounts theirs (probes.media: MEDIA-1 … MEDIA-3) and citizen reports theirs (ZC-1 deadlines).
CHECKS = (links.check_links, columns.check_columns, identity.check_identity, interaction.check_interaction,
          timeliness.check_timeliness, media.check_listing)
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (*availability.RULES, *links.RULES, *columns.RULES, *identity.RULES, *interaction.RULES,
                 *timeliness.RULES, *media.RULES, *citizen_reports.RULES, *ipv6.RULES)
}
# The rules judged from a crawl snapshot: a failed crawl leaves each of them not judged.
SNAPSHOT_RULES = tuple(rule.id for module in (links, columns, identity, interaction, timeliness)
                       for rule in module.RULES)
