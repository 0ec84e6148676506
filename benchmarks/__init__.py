"""Coffer's benchmarks: scenarios at scale, peers side by side, one results table."""
