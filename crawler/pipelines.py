"""Store what the spider fetched. Writes are batched, and every batch is one
transaction, so an interrupted crawl leaves all batches written so far intact.

A batch is written when it is full or when it is ``GOVMON_STORE_FLUSH_SECONDS`` old (default 2), so a process
killed outright loses a few seconds of pages, not a batch. A write that fails is never swallowed: the crawl stops
and the run is closed as failed with the error (the snapshot would silently miss pages, the homepage among them).
"""

from __future__ import annotations

import hashlib
from dataclasses import fields

from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet import task

from govmon.crawler.items import Fetched
from govmon.store import Link, Page, PageText, connect

PAGE_FIELDS = tuple(f.name for f in fields(Fetched) if f.name not in ("links", "text"))  # shallow: asdict deep-copies facts
STORE_FAILED = "govmon/store_failed"  # the stats key end_run reads: why a write failed


class StorePipeline:
    def __init__(self, crawler, db_url: str, batch_size: int, flush_seconds: float):
        self.crawler = crawler
        self.db_url = db_url
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.pending: list[Fetched] = []
        self.stored = 0
        self.timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler) -> StorePipeline:
        settings = crawler.settings
        return cls(crawler, settings["GOVMON_DB_URL"], settings.getint("GOVMON_STORE_BATCH", 100),
                   settings.getfloat("GOVMON_STORE_FLUSH_SECONDS", 2.0))

    def open_spider(self) -> None:
        self.store = connect(self.db_url)
        self.run_id = self.crawler.spider.run_id
        self.timer = task.LoopingCall(self.flush)
        self.timer.start(self.flush_seconds, now=False)

    def process_item(self, item: Fetched) -> Fetched:
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        self.flush()
        self.store.engine.dispose()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch or self.crawler.stats.get_value(STORE_FAILED):  # failed: the run is, whatever else is stored
            return
        try:
            self._write(batch)
        except SQLAlchemyError as exc:
            cause = exc.orig if getattr(exc, "orig", None) is not None else exc
            self.crawler.stats.set_value(STORE_FAILED, f"{len(batch)} page(s) not stored: {str(cause).splitlines()[0]}")
            if self.crawler.engine is not None and self.crawler.engine.running:
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_failed"))
            return
        self.stored += len(batch)

    def _write(self, batch: list[Fetched]) -> None:
        rows = [
            {**{name: getattr(item, name) for name in PAGE_FIELDS}, "run_id": self.run_id,
             "url_key": hashlib.sha1(item.url.encode()).hexdigest()}
            for item in batch
        ]
        with self.store.session.begin() as session:
            ids = session.scalars(insert(Page).returning(Page.id, sort_by_parameter_order=True), rows).all()
            links = [
                {"run_id": self.run_id, "source_id": page_id, "target": link.target, "tag": link.tag,
                 "attr": link.attr, "text": link.text, "kind": link.kind, "internal": link.internal}
                for page_id, item in zip(ids, batch)
                for link in item.links
            ]
            if links:
                session.execute(insert(Link), links)
            texts = [{"page_id": page_id, "run_id": self.run_id, "text": item.text}
                     for page_id, item in zip(ids, batch) if item.text]
            if texts:
                session.execute(insert(PageText), texts)
