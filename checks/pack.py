"""Rule packs (指标体系 / 考核细则): the thresholds of one jurisdiction, as data.

A pack is a TOML file. Shipped packs live in ``checks/packs``; a path to any
other file works too. Loading validates the whole pack and names the file and
field on error, like the registry.

An overlay (a province's 考核细则) names its base with ``extends`` and holds only
what differs: tables merge key by key, an array of tables (``[[columns.required]]``)
adds to the base's, any other value replaces the base's.
"""

from __future__ import annotations

import math
import re
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from govmon.config import read_toml
from govmon.registry import Number, Whole, did_you_mean, field_problems, shown


class PackError(ValueError):
    """A rule pack that cannot be used; the message names the file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Status = Literal["confirmed", "seed", "default", "partial"]
SiteType = Literal["portal", "department", "grassroots"]
Level = Literal["省", "市", "县", "乡"]


class Profile(_Strict):
    """Which sites something applies to: site types and administrative levels (empty: all)."""

    types: tuple[SiteType, ...] = ()
    levels: tuple[Level, ...] = ()

    def matches(self, site_type: str | None, level: str | None) -> bool:
        return (not self.types or site_type in self.types) and (not self.levels or level in self.levels)


class RuleSettings(BaseModel):
    """A rule's thresholds: points, cap and status for every rule, plus the keys its
    Rule unit lists in ``settings`` (checked when the pack is loaded)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    points: Number = Field(default=0.0, ge=0, le=100)
    cap: Number = Field(default=100.0, ge=0, le=100)
    status: Status = "default"
    # Where the numbers come from when the pack's own documents do not give them (a national default taken from a
    # provincial document names that document), so a supervisor can weigh them against the local 考核细则.
    threshold_source: str | None = None
    veto_at: Whole = Field(default=1, ge=1)  # a veto rule vetoes from this many findings (e.g. 5 blank columns)
    applies_to: Profile = Profile()
    rectification_working_days: Whole | None = Field(default=None, ge=1)  # this rule's own 整改时限, else the pack's

    def __getitem__(self, key: str) -> float:
        return getattr(self, key)

    def words(self, key: str) -> list[str]:
        """A word-list setting (WORD_SETTINGS), as the pack lists it."""
        return list(getattr(self, key))


class SoftNotFound(_Strict):
    min_similarity: Number = Field(gt=0, le=1)


class Detect(_Strict):
    soft_404: SoftNotFound


class ReportSettings(_Strict):
    places_cap: Whole = Field(default=20, gt=0)


class RectificationSettings(_Strict):
    working_days: Whole = Field(gt=0)  # 整改时限: working days from when a finding is first reported
    status: Status = "default"


class VerdictSettings(_Strict):
    pass_score: Number = Field(ge=0, le=100)
    status: Status = "confirmed"


class ColumnClass(_Strict):
    """A class of columns (动态/要闻, 通知公告 …): the names that mark it and how old its newest item may be."""

    label: str
    synonyms: tuple[str, ...] = Field(min_length=1)
    exclude: tuple[str, ...] = ()  # a name holding one of these is not of the class (政策解读 is no 政策文件)
    max_age_days: Whole | None = Field(default=None, gt=0)
    max_age_months: Whole | None = Field(default=None, gt=0)
    status: Status = "default"

    def names(self, name: str) -> bool:
        return any(word in name for word in self.synonyms) and not any(word in name for word in self.exclude)


class RequiredColumn(_Strict):
    """A column the site's profile must have (COL-4), found by any of its names."""

    name: str
    synonyms: tuple[str, ...] = ()
    applies_to: Profile = Profile()
    source: str

    def found_in(self, names: set[str]) -> bool:
        words = (self.name, *self.synonyms)
        return any(word in name for name in names for word in words)


class Columns(_Strict):
    classes: dict[str, ColumnClass]  # in order of precedence: a name takes the first class that names it
    required: tuple[RequiredColumn, ...] = ()

    def class_of(self, name: str) -> str:
        return next((key for key, cls in self.classes.items() if cls.names(name)), "other")


class IdentityWords(_Strict):
    party_mark: tuple[str, ...]  # link text or alt of the 党政机关网站标识
    party_mark_hosts: tuple[str, ...]  # hosts of its link or script
    error_entry: tuple[str, ...]  # link text of the 我为政府网站找错 entry
    error_entry_hosts: tuple[str, ...]
    domain_suffix: str


class Due(_Strict):
    """When a period's release is due: so many calendar days after the period's first or last day."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    after: Literal["start", "end"]
    days: Whole = Field(ge=0)


class PeriodicRelease(_Strict):
    """A release the site must publish every period (TIME-5): 财政收支 by the 5th of next month, …"""

    name: str
    title: tuple[str, ...] = Field(min_length=1)  # words of the release's title
    period: Literal["week", "month", "quarter"]
    due: Due
    lookback: Whole = Field(default=6, gt=0)  # periods judged, the latest whose due date has passed
    applies_to: Profile = Profile()
    source: str


class InteractionWords(_Strict):
    consultation: tuple[str, ...]  # link text of an online consultation channel (INTER-1)
    not_consultation: tuple[str, ...]  # channels that do not count (网上信访, 纪检举报)
    max_link_chars: Whole = Field(gt=0)  # a channel's entry is a short name; longer link text is an article title


class ErrorTerm(_Strict):
    """A wrong form of a fixed name or expression (ERR-1) and the right one, with the document that fixes it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    wrong: str = Field(min_length=2)
    right: str = Field(min_length=2)
    term_class: Literal["state_organs", "official_expressions", "leaders"] = Field(alias="class")
    source: str = Field(min_length=1)
    except_in: tuple[str, ...] = ()  # longer correct words this wrong form may sit inside


class Errors(_Strict):
    """ERR-1's dictionary: the wrong forms, and longer correct words any wrong form may sit inside."""

    terms: tuple[ErrorTerm, ...] = Field(min_length=1)
    allowed: tuple[str, ...] = ()


_HOST_SUFFIX = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]*[a-z][a-z0-9-]*$")


class SecurityWords(_Strict):
    """What marks a link, title or spider view as a hijack's (SEC-1): blacklisted domains and spam keywords."""

    domains: tuple[str, ...]  # host name suffixes: a host is listed when it is one or ends with "." + one
    keywords: tuple[str, ...] = Field(min_length=1)
    trusted_hosts: tuple[str, ...] = ()  # government hosts (gov.cn): a link to them is never a hijack's
    # words of the page a firewall shows a spider it cannot verify (安全拦截 …): another title, but no hijack's
    block_page_words: tuple[str, ...] = ()

    @field_validator("domains", "trusted_hosts")
    @classmethod
    def _host_suffixes(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        for host in hosts:
            if not _HOST_SUFFIX.match(host):
                raise ValueError(f"a domain name such as example.com is required (lower case, no scheme, no "
                                 f"pattern, not a bare top-level domain), got {shown(host)}")
        return hosts

    @field_validator("keywords")
    @classmethod
    def _words(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        if not all(word.strip() for word in words):
            raise ValueError("keywords must not be empty")
        return words


class Services(_Strict):
    """What a 办事指南 must show (SVC-1): element category → the labels that show it."""

    elements: dict[str, tuple[str, ...]] = Field(min_length=1)
    title_category: str  # the category a guide titled "XX办事指南" shows by its title (事项名称)

    @field_validator("elements")
    @classmethod
    def _aliases(cls, elements: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        empty = [name for name, aliases in elements.items() if not aliases or not all(a.strip() for a in aliases)]
        if empty:
            raise ValueError(f"every element needs at least one non-empty label: {', '.join(empty)}")
        return elements


class Pack(_Strict):
    id: str
    name: str
    extends: str | None = None
    verdict: VerdictSettings
    rectification: RectificationSettings
    report: ReportSettings = ReportSettings()
    rules: dict[str, RuleSettings]
    detect: Detect
    columns: Columns
    identity: IdentityWords
    interaction: InteractionWords
    periodic: tuple[PeriodicRelease, ...] = ()
    errors: Errors
    security: SecurityWords
    services: Services

    def rectification_days(self, rule_id: str) -> int:
        """The working days a finding of this rule gives the site to fix it: the rule's own, else the pack's."""
        own = self.rule(rule_id).rectification_working_days
        return own if own is not None else self.rectification.working_days

    def applies(self, rule_id: str, site_type: str | None, level: str | None) -> bool:
        return self.rule(rule_id).applies_to.matches(site_type, level)

    def rule(self, rule_id: str) -> RuleSettings:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise PackError(f"pack {self.id!r} has no settings for rule {rule_id}") from None


def shipped_packs() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in files("govmon.checks").joinpath("packs").iterdir() if p.name.endswith(".toml"))


def _pack_path(name_or_path: str, relative_to: Path | None = None) -> Path:
    path = Path(name_or_path)
    if path.suffix:
        return relative_to.parent / path if relative_to is not None and not path.is_absolute() else path
    shipped = files("govmon.checks").joinpath("packs", f"{name_or_path}.toml")
    if not shipped.is_file():
        raise PackError(f"no rule pack named {name_or_path!r} (shipped: {', '.join(shipped_packs())})")
    return Path(str(shipped))


def _read(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The pack's raw tables with its base's merged underneath."""
    if path in seen:
        raise PackError(f"{path}: field extends: packs extend each other in a loop")
    raw = read_toml(path, PackError)
    base = raw.get("extends")
    if base is None:
        return raw
    if not isinstance(base, str):
        raise PackError(f"{path}: field extends: the name or path of a pack is required")
    return _merge(_read(_pack_path(base, path), (*seen, path)), raw)


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list) and all(isinstance(v, dict) for v in old + value):
            merged[key] = old + value
        else:
            merged[key] = value
    return merged


def load_pack(name_or_path: str) -> Pack:
    """Load a shipped pack by name (e.g. ``national``) or any pack file by path, with the packs it extends."""
    path = _pack_path(name_or_path)
    raw = _read(path)
    try:
        pack = Pack(**raw)
    except ValidationError as exc:
        raise PackError("\n".join(f"{path}: field {field}: {message}"
                                  for field, message in field_problems(exc, Pack))) from None
    _check_rule_settings(path, pack)
    _check_sections(path, pack)
    return pack


# The word lists a rule reads besides its numbers (Rule.settings): these keys hold lists of words.
WORD_SETTINGS = {"META-1": ("tags",), "TIME-2": ("needs", "exempt"),
                 "PII-1": ("kinds", "exempt_sections", "contact_labels", "attachment_kinds"),
                 "SVC-1": ("entry_words", "entry_types", "guide_titles")}
# Word lists whose words are names govmon knows: any other is a typo.
WORD_CHOICES = {("PII-1", "kinds"): ("id_card", "mobile", "bank_card"),
                ("SVC-1", "entry_types"): get_args(SiteType)}


def _check_rule_settings(path: Path, pack: Pack) -> None:
    """Every rule govmon checks needs its settings in the pack, as finite non-negative numbers; a rule ID or key
    govmon does not know is a typo, which would otherwise leave a threshold at its default unnoticed."""
    from govmon.checks.catalogue import RULES

    problems = [f"{path}: field rules.{rule_id}: no such rule{did_you_mean(rule_id, tuple(RULES))}"
                for rule_id in pack.rules if rule_id not in RULES]
    for rule in RULES.values():
        settings = pack.rules.get(rule.id)
        if settings is None:
            problems.append(f"{path}: field rules.{rule.id}: required table is missing")
            continue
        for key in rule.settings:
            value = getattr(settings, key, None)
            if value is None:
                problems.append(f"{path}: field rules.{rule.id}.{key}: required field is missing")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                problems.append(f"{path}: field rules.{rule.id}.{key}: a finite non-negative number is required, "
                                f"got {shown(value)}")
        words = WORD_SETTINGS.get(rule.id, ())
        for key in words:
            value = getattr(settings, key, None)
            choices = WORD_CHOICES.get((rule.id, key))
            if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
                problems.append(f"{path}: field rules.{rule.id}.{key}: a list of words is required, got {shown(value)}")
            elif choices and (unknown := [w for w in value if w not in choices]):
                problems.append(f"{path}: field rules.{rule.id}.{key}: unknown {shown(unknown[0])} "
                                f"(known: {', '.join(choices)})")
        known = (*RuleSettings.model_fields, *rule.settings, *words)
        problems += [f"{path}: field rules.{rule.id}.{key}: unknown field{did_you_mean(key, known)}"
                     for key in settings.model_extra or {} if key not in known]
    if problems:
        raise PackError("\n".join(problems))


def _check_sections(path: Path, pack: Pack) -> None:
    """What the section models cannot see alone: ERR-1 terms that repeat or can never be found, allowed words
    that hold no wrong form, a guide's title category that is no element."""
    from govmon.checks.wording import folded

    problems, seen = [], set()
    for n, term in enumerate(pack.errors.terms):
        wrong = folded(term.wrong)
        where = f"{path}: field errors.terms.{n}"
        if wrong in seen:
            problems.append(f"{where}.wrong: {shown(term.wrong)} is listed twice")
        seen.add(wrong)
        if wrong == folded(term.right):
            problems.append(f"{where}.right: the same as the wrong form {shown(term.wrong)}")
        problems += [f"{where}.except_in: {shown(word)} does not contain the wrong form {shown(term.wrong)}"
                     for word in term.except_in if wrong not in folded(word)]
    problems += [f"{path}: field errors.allowed: {shown(word)} contains no wrong form of errors.terms"
                 for word in pack.errors.allowed if not any(wrong in folded(word) for wrong in seen)]
    if pack.services.title_category not in pack.services.elements:
        problems.append(f"{path}: field services.title_category: {shown(pack.services.title_category)} is not one "
                        f"of services.elements ({', '.join(pack.services.elements)})")
    if problems:
        raise PackError("\n".join(problems))
