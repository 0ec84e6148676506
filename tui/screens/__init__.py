"""Screens of the Coffer app."""
