"""CLI commands for watched sources (issue 15): `lofte source add|list|edit|pause|remove`,
`lofte update` and `lofte watch`.

Registered on the main app by `cli.py`.
"""

from __future__ import annotations
