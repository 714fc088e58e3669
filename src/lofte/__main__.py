"""`python -m lofte` runs the CLI."""

from .cli import app

app(prog_name="lofte")
