"""Store what the spider fetched. Writes are batched, and every batch is one
transaction, so an interrupted crawl leaves all batches written so far intact."""

from __future__ import annotations

import hashlib
from dataclasses import fields

from sqlalchemy import insert

from crawler.items import Fetched
from govmon.store import Link, Page, connect

PAGE_FIELDS = tuple(f.name for f in fields(Fetched) if f.name != "links")  # shallow: asdict deep-copies facts


class StorePipeline:
    def __init__(self, crawler, db_url: str, batch_size: int):
        self.crawler = crawler
        self.db_url = db_url
        self.batch_size = batch_size
        self.pending: list[Fetched] = []
        self.stored = 0

    @classmethod
    def from_crawler(cls, crawler) -> "StorePipeline":
        return cls(crawler, crawler.settings["GOVMON_DB_URL"], crawler.settings.getint("GOVMON_STORE_BATCH", 100))

    def open_spider(self) -> None:
        self.store = connect(self.db_url)
        self.run_id = self.crawler.spider.run_id

    def process_item(self, item: Fetched) -> Fetched:
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()
        self.store.engine.dispose()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
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
        self.stored += len(batch)
