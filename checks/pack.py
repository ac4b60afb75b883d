"""Rule packs (指标体系 / 考核细则): the thresholds of one jurisdiction, as data.

A pack is a TOML file. Shipped packs live in ``checks/packs``; a path to any
other file works too. Loading validates the whole pack and names the file and
field on error, like the registry.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class PackError(ValueError):
    """A rule pack that cannot be used; the message names the file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleSettings(BaseModel):
    """A rule's thresholds: points, cap and status for every rule, plus the keys its
    Rule unit lists in ``settings`` (checked when the pack is loaded)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    points: float = Field(default=0.0, ge=0)
    cap: float = Field(default=100.0, ge=0)
    status: Literal["confirmed", "seed", "default", "partial"] = "default"

    def __getitem__(self, key: str) -> float:
        return getattr(self, key)


class SoftNotFound(_Strict):
    min_similarity: float = Field(gt=0, le=1)


class Detect(_Strict):
    soft_404: SoftNotFound


class ReportSettings(_Strict):
    places_cap: int = Field(default=20, gt=0)


class VerdictSettings(_Strict):
    pass_score: float = Field(ge=0, le=100)
    status: Literal["confirmed", "seed", "default", "partial"] = "confirmed"


class Pack(_Strict):
    id: str
    name: str
    verdict: VerdictSettings
    report: ReportSettings = ReportSettings()
    rules: dict[str, RuleSettings]
    detect: Detect

    def rule(self, rule_id: str) -> RuleSettings:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise PackError(f"pack {self.id!r} has no settings for rule {rule_id}") from None


def shipped_packs() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in files("checks").joinpath("packs").iterdir() if p.name.endswith(".toml"))


def load_pack(name_or_path: str) -> Pack:
    """Load a shipped pack by name (e.g. ``national``) or any pack file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        shipped = files("checks").joinpath("packs", f"{name_or_path}.toml")
        if not shipped.is_file():
            raise PackError(f"no rule pack named {name_or_path!r} (shipped: {', '.join(shipped_packs())})")
        path = Path(str(shipped))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from None
    try:
        pack = Pack(**raw)
    except ValidationError as exc:
        lines = [
            f"{path}: field {'.'.join(str(p) for p in e['loc'])}: "
            + ("required field is missing" if e["type"] == "missing" else e["msg"])
            for e in exc.errors()
        ]
        raise PackError("\n".join(lines)) from None
    _check_rule_settings(path, pack)
    return pack


def _check_rule_settings(path: Path, pack: Pack) -> None:
    """Every rule govmon checks needs its settings in the pack, as non-negative numbers."""
    from checks.catalogue import RULES

    problems = []
    for rule in RULES.values():
        settings = pack.rules.get(rule.id)
        if settings is None:
            problems.append(f"{path}: field rules.{rule.id}: required table is missing")
            continue
        for key in rule.settings:
            value = getattr(settings, key, None)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                problems.append(f"{path}: field rules.{rule.id}.{key}: a non-negative number is required")
    if problems:
        raise PackError("\n".join(problems))
