"""CLI commands for deadlines and the end of a term (issue 15).

Registered on the main app by `cli.py`.
"""

from __future__ import annotations
