"""Every rule govmon checks, grouped by the module that checks it."""

from __future__ import annotations

from govmon.checks import (
    availability,
    citizen_deadlines,
    columns,
    identity,
    interaction,
    ipv6,
    links,
    media,
    personal_data,
    security,
    services,
    timeliness,
    wording,
)
from govmon.checks.pack import Pack, PackError, load_pack, shipped_packs
from govmon.checks.rule import Rule

# Every rule has its own unit (Rule.unit), judging what Rule.judged_on names: a crawl snapshot (Rule.check),
# an availability evaluation (AVAIL-1), an IPv6 probe (IPV6-*), a new-media account's verdict (MEDIA-1 … MEDIA-3,
# stored by checks.probe_rules) or a citizen report (ZC-1 deadlines).
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (*availability.RULES, *links.RULES, *columns.RULES, *identity.RULES, *interaction.RULES,
                 *timeliness.RULES, *personal_data.RULES, *wording.RULES, *security.RULES, *services.RULES,
                 *media.RULES, *citizen_deadlines.RULES, *ipv6.RULES)
}
# The rules judged from a crawl snapshot: a failed crawl leaves each of them not judged.
SNAPSHOT_RULES = tuple(rule.id for module in (links, columns, identity, interaction, timeliness, personal_data,
                                              wording, security, services)
                       for rule in module.RULES)
# What `govmon check --rule` may select: the rules judged on a stored snapshot.
CHECKABLE_RULES = tuple(rule.id for rule in RULES.values() if rule.check)


def settings_text(rule: Rule, pack: Pack) -> str:
    """The rule's settings in the pack, as `govmon rules` prints them: its keys with values, then their status."""
    try:
        settings = pack.rule(rule.id)
    except PackError:
        return "not in this pack"
    keys = (*rule.settings, *(("veto_at",) if rule.cls == "veto" and "veto_at" not in rule.settings else ()),
            *(key for key in settings.model_extra or {} if key not in rule.settings))
    scope = settings.applies_to
    applies = f"; only {'/'.join(scope.types + scope.levels)}" if scope.types or scope.levels else ""
    return "".join(f"{key}={getattr(settings, key)}; " for key in keys) + settings.status + applies


def rules_document() -> str:
    """docs/rules.md: every rule's documentation and its settings in each shipped pack, from the catalogue."""
    packs = [load_pack(name) for name in shipped_packs()]
    lines = ["# Rules", "",
             "Generated from the rule catalogue (`checks/catalogue.py`) by `govmon rules docs > docs/rules.md`; "
             "do not edit by hand: `tests/test_rule_units.py` fails when this file is stale.", ""]
    for rule in RULES.values():
        lines += [f"## {rule.id} {rule.title}", "",
                  f"- class: {rule.cls}", f"- summary: {rule.summary}", f"- why: {rule.why}",
                  f"- source: {rule.source}", f"- fix: {rule.fix}",
                  f"- judged on: {'the crawl snapshot' if rule.id in CHECKABLE_RULES else 'probes or records'}"]
        if rule.example:
            lines.append(f"- example: {rule.example}")
        lines += ["", "| pack | settings |", "| --- | --- |"]
        lines += [f"| {pack.id} | {settings_text(rule, pack)} |" for pack in packs]
        lines.append("")
    return "\n".join(lines)
