"""Readers: raw bytes in, parsed documents out. `registry.pick_reader` chooses one by content."""
