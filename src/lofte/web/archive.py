"""Archived copies of fetched pages (WARC), linked from evidence (issue 15)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
