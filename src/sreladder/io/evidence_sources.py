"""Kept so code written against the old module still imports: evidence sources are
read by the :mod:`sreladder.io.sources` package (a module per format, one registry)."""

from sreladder.io.sources import (
    MAX_BYTES,
    MAX_ITEMS,
    MAX_TEXT,
    EvidenceSourceError,
    find_date,
    heading_date,
    read_evidence,
    read_source,
    read_sources,
    split_links,
)

__all__ = [
    "MAX_BYTES",
    "MAX_ITEMS",
    "MAX_TEXT",
    "EvidenceSourceError",
    "find_date",
    "heading_date",
    "read_evidence",
    "read_source",
    "read_sources",
    "split_links",
]
