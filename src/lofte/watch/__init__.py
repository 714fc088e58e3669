"""Watched sources (issue 15): when a source is due (`schedule`), what a fetched page holds
(`discover`), and one pass over the due sources (`update`)."""
