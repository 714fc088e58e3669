"""Editors choose how they hear of a tracker: digest by e-mail and/or webhook (issue 15)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
