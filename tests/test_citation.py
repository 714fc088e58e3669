"""CITATION.cff is valid Citation File Format and names the version being built."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_citation_file_names_this_version_and_its_licence() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "software"
    for required in ("message", "title", "authors"):
        assert citation[required], required
    assert all(author.get("name") or author.get("family-names") for author in citation["authors"])
    # a researcher cites the version they ran: kept equal to the package's
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]
