"""Löfte: an election-pledge tracker for Swedish politics."""

__version__ = "0.1.0"
