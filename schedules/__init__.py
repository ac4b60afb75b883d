"""Schedules drive the whole: daily probes, crawls, checks and reports.

Empty until the scheduling service lands (`govmon serve`); the crawl, check and
report functions it will call are ``crawler.run.schedule_crawl``,
``checks.engine.check_run`` and ``reports.assemble.rectification_doc``.
"""
