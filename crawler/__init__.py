"""The crawl: one generic Scrapy spider driven by a registry entry, storing a snapshot.

Extraction (``govmon.facts``) is pure functions from a document to facts, so
`govmon inspect`, the spider and the tests all run the same code.
"""
