"""The layers of the README's layout, kept: each import goes down the layers, never up or sideways.

core ← facts ← crawler | probes ← checks ← reports ← top (schedules, intake, inspect, console, cli). A module may
import its own package, any module of a lower layer, and no other; crawler and probes share a layer and never
import each other; reports read findings, never run checks; the demo is outside the runtime (only `govmon demo`
reaches it). Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Where each package's code lives in a checkout; the wheel puts them all under govmon/ (pyproject: sources).
PACKAGES = {"govmon": "govmon", "govmon.crawler": "crawler", "govmon.probes": "probes", "govmon.checks": "checks",
            "govmon.reports": "reports", "govmon.schedules": "schedules", "govmon.demo": "demo"}
# The repository's top-level folders: importing one by its bare name bypasses the one namespace.
BARE = ("crawler", "probes", "checks", "reports", "schedules", "demo", "bench", "tests")

# Lowest first. A module belongs to the layer of the longest prefix naming it.
LAYERS = (
    ("core", ("govmon", "govmon.config", "govmon.clock", "govmon.registry", "govmon.origins", "govmon.workdays",
              "govmon.dns", "govmon.store", "govmon.migrations")),
    ("facts", ("govmon.facts",)),
    ("crawl and measure", ("govmon.crawler", "govmon.probes")),
    ("checks", ("govmon.checks",)),
    ("reports", ("govmon.reports",)),
    ("top", ("govmon.schedules", "govmon.intake", "govmon.inspect", "govmon.console", "govmon.tasks",
             "govmon.cli")),
)
OUTSIDE = ("govmon.demo",)  # may import anything; the runtime imports it only as EXCEPTIONS say
APART = (("govmon.crawler", "govmon.probes", "crawler and probes never import each other"),)
# (importer, imported, why): imports a layer's order allows and the design does not.
FORBIDDEN = (
    ("govmon.reports", "govmon.probes", "reports read measurements from the store, not through probes"),
    ("govmon.demo", "govmon.cli", "the CLI runs the demo, not the other way round"),
    ("govmon.checks", "govmon.crawler", "checks read snapshots and measurements; they never fetch"),
    ("govmon.checks", "govmon.probes", "checks read snapshots and measurements; they never fetch"),
)
# (importer, package, the only modules of it the importer may use, why)
ONLY = (
    ("govmon.reports", "govmon.checks", ("govmon.checks.catalogue", "govmon.checks.rule", "govmon.checks.pack",
                                         "govmon.checks.verdict", "govmon.checks.tracking",
                                         "govmon.checks.citizen_deadlines"),
     "reports read findings and rule metadata; they never run checks"),
)
EXCEPTIONS = {("govmon.cli", "govmon.demo.run"): "`govmon demo` runs the bundled demo (imported in the command)"}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _longest(module: str, prefixes) -> str | None:
    """The longest prefix naming module; the namespace package "govmon" names only itself (its __init__)."""
    return max((p for p in prefixes if _within(module, p) and (p != "govmon" or module == p)), key=len, default=None)


def project_modules(root: Path, packages: dict[str, str] = PACKAGES) -> dict[str, Path]:
    """Every module of the runtime and the demo by its installed name (govmon.crawler.spider), with its file."""
    found = {}
    for name, folder in packages.items():
        for path in sorted((root / folder).rglob("*.py")):
            parts = path.relative_to(root / folder).with_suffix("").parts
            found[".".join((name, *parts)).removesuffix(".__init__")] = path
    return found


def imports(module: str, path: Path, known: dict[str, Path]) -> list[tuple[int, str]]:
    """(line, imported module) for each import in the file, relative ones resolved, wherever in the file it is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:  # "from govmon import clock" imports the module govmon.clock
                found.append((node.lineno, f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base))
    return found


def _why(module: str, target: str, rank: dict[str, int]) -> str | None:
    """Why module may not import target (both installed names under govmon), or None when it may."""
    for importer, imported, why in FORBIDDEN:
        if _within(module, importer) and _within(target, imported):
            return why
    for importer, package, allowed, why in ONLY:
        if _within(module, importer) and _within(target, package) and not any(_within(target, a) for a in allowed):
            return why
    own, theirs = _longest(module, rank), _longest(target, rank)
    if own is None:  # outside the runtime: the demo may use any of it
        return None
    if _longest(target, OUTSIDE) is not None:
        excepted = any(_within(module, a) and _within(target, b) for a, b in EXCEPTIONS)
        return None if excepted else "the runtime does not import the demo"
    if theirs is None:
        return "imports a module in no layer"
    if rank[theirs] > rank[own]:
        return f"{LAYERS[rank[own]][0]} imports {LAYERS[rank[theirs]][0]}, a layer above it"
    for a, b, why in APART:
        if (_within(module, a) and _within(target, b)) or (_within(module, b) and _within(target, a)):
            return why
    return None


def installed_layout() -> tuple[Path, dict[str, str]]:
    """The checkout's folders; or, when the tests run against an installed wheel, the package itself, where every
    part is a folder of govmon/."""
    if (ROOT / "crawler").is_dir():
        return ROOT, PACKAGES
    import govmon

    return Path(govmon.__file__).parent.parent, {"govmon": "govmon"}


def violations(root: Path | None = None, packages: dict[str, str] | None = None) -> list[str]:
    """Every import against the layers, as "file:line: module imports target: why"."""
    if root is None or packages is None:
        root, packages = installed_layout()
    known = project_modules(root, packages)
    rank = {prefix: index for index, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes}
    problems = []
    for module, path in known.items():
        where = path.relative_to(root).as_posix()
        if _longest(module, rank) is None and _longest(module, OUTSIDE) is None:
            problems.append(f"{where}: {module} is in no layer (add it to LAYERS)")
            continue
        for line, target in sorted(set(imports(module, path, known))):
            if target.split(".")[0] in BARE:
                problems.append(f"{where}:{line}: imports {target}; write govmon.{target}")
            elif _within(target, "govmon") and (why := _why(module, target, rank)):
                problems.append(f"{where}:{line}: {module} imports {target}: {why}")
    return problems


def test_imports_follow_the_layers():
    assert violations() == []


def test_a_wrong_import_is_caught(tmp_path):
    """The checker itself: a planted upward, sideways, bare and demo import are each reported, a right one not."""
    files = {
        "govmon/__init__.py": "",
        "govmon/config.py": "def load():\n    from govmon.reports import mail\n",
        "govmon/stray.py": "",
        "govmon/cli.py": "from govmon.checks import engine\n\ndef demo():\n    from govmon.demo import run\n",
        "crawler/__init__.py": "",
        "crawler/spider.py": "from govmon.probes.http import fetch\nfrom govmon import config\n",
        "probes/__init__.py": "",
        "probes/http.py": "from crawler import spider\n",
        "checks/__init__.py": "",
        "checks/engine.py": "from govmon.probes import http\n",
        "reports/__init__.py": "",
        "reports/mail.py": "from govmon.checks.engine import check_run\nfrom ..demo import run\n"
                           "from govmon.checks.verdict import verdict\n",
        "demo/__init__.py": "",
        "demo/run.py": "from govmon.cli import demo\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    packages = {name: folder for name, folder in PACKAGES.items() if (tmp_path / folder).is_dir()}
    found = violations(tmp_path, packages)
    assert found == [
        "govmon/config.py:2: govmon.config imports govmon.reports.mail: core imports reports, a layer above it",
        "govmon/stray.py: govmon.stray is in no layer (add it to LAYERS)",
        "crawler/spider.py:1: govmon.crawler.spider imports govmon.probes.http: crawler and probes never import "
        "each other",
        "probes/http.py:1: imports crawler; write govmon.crawler",
        "checks/engine.py:1: govmon.checks.engine imports govmon.probes.http: checks read snapshots and measurements; "
        "they never fetch",
        "reports/mail.py:1: govmon.reports.mail imports govmon.checks.engine: reports read findings and rule "
        "metadata; they never run checks",
        "reports/mail.py:2: govmon.reports.mail imports govmon.demo.run: the runtime does not import the demo",
        "demo/run.py:1: govmon.demo.run imports govmon.cli: the CLI runs the demo, not the other way round",
    ]
