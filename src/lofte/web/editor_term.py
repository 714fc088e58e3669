"""Editors' deadlines and the end-of-term worklist (issue 15)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
