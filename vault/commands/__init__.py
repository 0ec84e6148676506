"""Command-line commands over the core; `vault/cli.py` registers them."""
