"""What the CLI and the demo print about a run and a verdict, in one place, so the demo need not import the CLI."""

from __future__ import annotations

import click

from govmon.registry import Site
from govmon.store import Run


def print_verdict(v: dict) -> None:
    """The 检查结论 in one line, then what it waits for."""
    click.echo(f"verdict: {v['result']}{'（待定）' if v['provisional'] else ''}, score {v['score']:g} "
               f"(pass {v['pass_score']:g}; vetoes: {', '.join(v['vetoes']) or 'none'}; "
               f"unjudged: {', '.join(v['unjudged']) or 'none'})")
    for key, why in v["unjudged"].items():
        click.echo(f"  {key} not judged: {why}")


def print_run(run: Run, site: Site | None = None) -> None:
    """The run in one line (naming ``site`` where several sites' runs are printed), then its limits."""
    fetched = ", ".join(f"{n} {kind}" for kind, n in sorted((run.stats or {}).get("fetched", {}).items()))
    of = f" of {site.name} ({site.id})" if site else ""
    click.echo(f"run {run.id}{of}: {run.status} — fetched {fetched or 'nothing'}"
               + (f" — {run.reason}" if run.reason else ""))
    limits = (run.stats or {}).get("limits_reached")
    if limits:
        click.echo(f"  limits reached: {', '.join(limits)} (raise them in the registry's [site.crawl])")
    failed = (run.stats or {}).get("render_failed")
    if failed:
        click.echo(f"  could not render {len(failed)} page(s) with Chromium; their static HTML was used:")
        for url in failed:
            click.echo(f"    {url}")
