"""Coffer's core: keys, the encrypted store, ingest, the query engine, sharing and reveal."""

__version__ = "0.1.0"
