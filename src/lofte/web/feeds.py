"""Public RSS/Atom feeds per pledge, party and area (issue 15)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
