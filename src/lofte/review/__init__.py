"""Editors' decisions: pledge review, evidence decisions, verdicts; each change is audited."""
