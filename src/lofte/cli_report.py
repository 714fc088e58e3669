"""CLI commands for `lofte report`: a tracker's final account as HTML and PDF (issue 15).

Registered on the main app by `cli.py`.
"""

from __future__ import annotations
