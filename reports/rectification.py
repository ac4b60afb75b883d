"""Write a site's rectification list (整改清单) in the formats asked for, under standard names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from govmon.reports.document import validate, write_json
from govmon.reports.html import write_html
from govmon.reports.xlsx import write_xlsx

WRITERS: dict[str, Callable[[dict, Path], Path]] = {
    "html": write_html,
    "xlsx": write_xlsx,
    "json": write_json,
}


def file_name(doc: dict, fmt: str) -> str:
    """'<site id>-整改清单-<as_of>.<fmt>'; a site id that is not a plain name is refused."""
    site_id = str(doc["site"]["id"])
    if not site_id or site_id in (".", "..") or any(sep in site_id for sep in "/\\"):
        raise ValueError(f"rectification list: site.id {site_id!r} cannot be used in a file name")
    return f"{site_id}-整改清单-{doc['as_of']}.{fmt}"


def write_rectification_list(doc: dict, out_dir: Path, formats: Iterable[str]) -> dict[str, Path]:
    """Write each format to out_dir and return {format: path}; nothing is written if a format is unknown."""
    formats = list(dict.fromkeys(formats))
    unknown = [fmt for fmt in formats if fmt not in WRITERS]
    if unknown:
        raise ValueError(f"unknown rectification list format: {', '.join(unknown)} (known: {', '.join(WRITERS)})")
    validate(doc)
    out_dir = Path(out_dir)
    return {fmt: WRITERS[fmt](doc, out_dir / file_name(doc, fmt)) for fmt in formats}
