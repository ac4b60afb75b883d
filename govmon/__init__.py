"""govmon: one package when installed, govmon.crawler, govmon.checks, govmon.reports … beneath it.

In the wheel those subpackages are folders of this one (pyproject's wheel sources). In a checkout they are the
repository's top-level folders beside it (crawler/, checks/, …), and this package's path reaches them there.
"""

from pathlib import Path

if not (Path(__file__).parent / "crawler").is_dir():  # a checkout: the wheel puts crawler/ inside govmon/
    __path__.append(str(Path(__file__).parent.parent))
