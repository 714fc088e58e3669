"""Editors' admin page of watched sources and their runs (issue 15)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
