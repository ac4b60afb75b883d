"""Per-field accuracy of the extractor on the corpus of real page shapes (tests/corpus/README.md).

Each case is scored field by field, the way `govmon inspect --json` shows the page. The floors are
the figures reached: a change that makes any field worse fails here, with the cases it broke.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from govmon.facts import extract_facts
from govmon.facts.encoding import decode_html
from govmon.inspect import shown_facts

CORPUS = Path(__file__).parent / "corpus"
FIELDS = ("title", "published", "published_meta", "column", "site_name", "site_code", "icp", "police_record", "sponsor")
# Accuracy floors per field (fraction of labelled cases exact), and overall: the figures reached.
FLOORS = {
    "title": 1.0,
    "published": 1.0,
    "published_meta": 1.0,
    "column": 1.0,
    "site_name": 1.0,
    "site_code": 1.0,
    "icp": 1.0,
    "police_record": 1.0,
    "sponsor": 1.0,
    "overall": 1.0,
}
MIN_CASES = 49


def cases() -> list[Path]:
    return sorted(path for path in CORPUS.iterdir() if (path / "case.toml").exists())


def load(case: Path) -> tuple[dict, dict]:
    spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    html, _ = decode_html((case / "page.html").read_bytes(), spec.get("content_type"))
    return spec, shown_facts(extract_facts(html, spec["url"]))


def test_every_case_is_labelled_and_sourced() -> None:
    found = cases()
    assert len(found) >= MIN_CASES
    for case in found:
        spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
        assert spec.get("url", "").startswith(("http://", "https://")), case.name
        provenance = spec.get("provenance", {})
        assert provenance.get("repository") and provenance.get("path"), f"{case.name}: provenance missing"
        assert set(spec.get("expected", {})) <= set(FIELDS), f"{case.name}: unknown field"
        assert spec.get("expected"), f"{case.name}: nothing labelled"


def test_field_accuracy_stays_at_its_floor() -> None:
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    wrong: dict[str, list[str]] = defaultdict(list)
    for case in cases():
        spec, shown = load(case)
        for field, expected in spec["expected"].items():
            total[field] += 1
            if shown[field] == (expected or None):
                right[field] += 1
            else:
                wrong[field].append(f"{case.name}: expected {expected!r}, got {shown[field]!r}")
    accuracy = {field: right[field] / total[field] for field in total}
    accuracy["overall"] = sum(right.values()) / sum(total.values())
    below = {field: f"{value:.3f} < {FLOORS[field]}" for field, value in accuracy.items() if value < FLOORS[field]}
    assert not below, f"{below}\n" + "\n".join(line for field in below for line in wrong.get(field, []))


@pytest.mark.parametrize("case", cases(), ids=lambda path: path.name)
def test_case_extracts_without_error(case: Path) -> None:
    _spec, shown = load(case)
    assert set(shown) == set(FIELDS)
