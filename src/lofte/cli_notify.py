"""CLI commands for editors' digests: subscriptions and `lofte notify` (issue 15).

Registered on the main app by `cli.py`.
"""

from __future__ import annotations
