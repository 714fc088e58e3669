"""The login form on a phone (QA: the keyboard wrote "Redaktor" for "redaktor", and the login
failed: user names match exactly, as stored)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import Site


def test_the_username_field_is_not_capitalised_or_corrected(client: TestClient, site: Site) -> None:
    for address in ("/login", "/login?lang=en"):
        page = client.get(address).text
        field = re.search(r'<input id="username"[^>]*>', page)
        assert field, address
        for attribute in (
            'autocomplete="username"',
            'autocapitalize="none"',
            'autocorrect="off"',
            'spellcheck="false"',
        ):
            assert attribute in field.group(0), (address, attribute)
