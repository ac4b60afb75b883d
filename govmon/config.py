"""Where govmon keeps its data and which database it talks to.

Precedence, highest first: command-line option, environment variable
(``GOVMON_CONFIG``, ``GOVMON_DB``, ``GOVMON_DATA_DIR``), the registry's
``[settings]`` table, then the defaults: ``./govmon.toml`` and a SQLite file in
``./govmon-data``.
"""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path("govmon.toml")
DEFAULT_DATA_DIR = Path("govmon-data")


def config_path(option: str | None) -> Path:
    return Path(option or os.environ.get("GOVMON_CONFIG") or DEFAULT_CONFIG)


def data_dir(setting: str | None = None) -> Path:
    return Path(os.environ.get("GOVMON_DATA_DIR") or setting or DEFAULT_DATA_DIR)


POSTGRES_SCHEMES = ("postgres://", "postgresql://")  # as psql and most hosting panels write them
POSTGRES_DRIVER = "postgresql+psycopg://"  # the driver installed with govmon


def database_url(option: str | None, setting: str | None = None, data: Path | None = None) -> str:
    """The SQLAlchemy URL to use; the default is a SQLite file in the data directory. A plain ``postgres://`` or
    ``postgresql://`` URL means the installed psycopg driver (SQLAlchemy would look for psycopg2)."""
    url = option or os.environ.get("GOVMON_DB") or setting
    if url:
        for scheme in POSTGRES_SCHEMES:
            if url.startswith(scheme):
                return POSTGRES_DRIVER + url[len(scheme):]
        return url
    folder = data or data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'govmon.db').resolve()}"

CHINA_TZ = timezone(timedelta(hours=8), "CST")  # days, deadlines and windows are counted in China time


def with_zone(moment: datetime) -> datetime:
    """A time with its zone; one without is UTC, as the store writes it (SQLite hands times back without their
    zone, and the store's column type puts it back with this)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def china_day(moment: datetime) -> date:
    """The day in China of a moment (a time without a zone is one read back from the store: UTC)."""
    return with_zone(moment).astimezone(CHINA_TZ).date()


def read_toml(path: Path, error: type[ValueError]) -> dict[str, Any]:
    """A configuration file's tables (registry, rule pack, working-day overrides); ``error`` names the file.
    A UTF-8 byte-order mark, as Windows Notepad writes one, is read past."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except OSError as exc:  # a folder, a file it may not read
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise error(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
