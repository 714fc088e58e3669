"""`python -m lofte` runs the CLI."""

from .entry import run

run()
