"""Widgets of the Coffer app."""
