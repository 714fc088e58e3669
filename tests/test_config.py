"""Settings: environment first, then .env, then defaults; every setting and command documented."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lofte.cli import app
from lofte.config import Settings, read_settings
from lofte.errors import ConfigError

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = Path(__file__).resolve().parents[1] / "README.md"


def test_environment_wins_over_dotenv_and_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("LOFTE_PORT=9001\nLOFTE_HOST=0.0.0.0\n", encoding="utf-8")
    monkeypatch.setenv("LOFTE_PORT", "9002")
    settings = Settings()
    assert settings.port == 9002
    assert settings.host == "0.0.0.0"
    assert settings.default_tracker == "standard"


def test_a_malformed_setting_is_one_line_naming_its_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: `LOFTE_SMTP_PORT=abc lofte notify send` printed pydantic's traceback."""
    from typer.testing import CliRunner

    from lofte.config import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOFTE_SMTP_PORT", "abc")
    get_settings.cache_clear()  # read once per process: an earlier test's would be used
    try:
        result = CliRunner().invoke(app, ["documents"])
    finally:
        monkeypatch.delenv("LOFTE_SMTP_PORT")
        get_settings.cache_clear()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "LOFTE_SMTP_PORT: Input should be a valid integer" in result.output
    assert "(got 'abc')" in result.output
    from lofte.config import _problem

    # a secret's value is never echoed
    line = _problem({"loc": ("smtp_password",), "msg": "bad", "input": "hemligt"})
    assert line == "LOFTE_SMTP_PASSWORD: bad"


def test_secrets_are_masked() -> None:
    assert "change-me" not in repr(Settings())


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert field.description, name
        assert f"LOFTE_{name.upper()}" in text, (
            f"LOFTE_{name.upper()} missing from docs/settings.md"
        )


def _command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names += [f"{name} {sub}" for sub in subcommands]
        else:
            names.append(name)
    return names


def test_every_cli_command_is_documented() -> None:
    guide = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in _command_names():
        assert f"lofte {name}" in guide, f"`lofte {name}` missing from docs/cli.md"


def test_an_empty_secret_key_counts_as_unset_and_a_short_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: `LOFTE_SECRET_KEY=` (an empty line in a .env) signed sessions with the empty key, so
    a cookie anyone could make by hand opened the admin pages."""
    from pydantic import ValidationError

    from lofte.config import PLACEHOLDER_SECRET, read_settings
    from lofte.errors import ConfigError

    monkeypatch.chdir(tmp_path)
    for empty in ("", "   "):
        key = Settings(secret_key=empty, _env_file=None).secret_key  # type: ignore[arg-type,call-arg]
        assert key.get_secret_value() == PLACEHOLDER_SECRET  # the web then takes a random key
    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(secret_key="short", _env_file=None)  # type: ignore[arg-type,call-arg]
    monkeypatch.setenv("LOFTE_SECRET_KEY", "hemlig")
    with pytest.raises(ConfigError, match="LOFTE_SECRET_KEY: must be at least 16") as e:
        read_settings()
    assert "hemlig" not in str(e.value)  # a secret is never echoed


def test_the_web_never_signs_with_an_empty_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import json
    import time

    import itsdangerous
    from fastapi.testclient import TestClient

    from lofte.model import Role
    from lofte.review.users import add_user
    from lofte.store.db import Store
    from lofte.web.app import create_app

    store = Store("sqlite://")  # in memory: `open_store(create=True)` wants a file
    store.migrate()
    try:
        boss = add_user(store, "boss", "ett långt lösenord", Role.ADMIN, actor="test")
        assert boss.id == 1
        client = TestClient(create_app(store, Settings(secret_key="", _env_file=None)))  # type: ignore[arg-type,call-arg]
        # a cookie right in every field (account, session number, last seen) but its signature
        cookie = {"uid": 1, "gen": boss.session_generation, "seen": int(time.time())}
        payload = base64.b64encode(json.dumps(cookie).encode())
        client.cookies.set("lofte_session", itsdangerous.TimestampSigner("").sign(payload).decode())
        assert client.get("/edit", follow_redirects=False).status_code == 303  # to the login
    finally:
        store.dispose()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOFTE_MAX_INPUT_BYTES", "-1"),  # every input failed "over the limit of -1"
        ("LOFTE_INPUT_TIME_BUDGET", "-5"),
        ("LOFTE_LANGUAGE", "fr"),
        ("LOFTE_PUBLIC_URL", "javascript:alert(1)"),
        ("LOFTE_LOGIN_ADDRESS_LIMIT", "-1"),
        ("LOFTE_LOGIN_USER_LIMIT", "0"),
        ("LOFTE_TRUSTED_PROXIES", "10.0.0.l"),  # a typo believed no proxy, silently
        ("LOFTE_TRUSTED_PROXIES", "10.0.0.1/24"),  # host bits set: uvicorn took it literally
        ("LOFTE_FETCH_TIMEOUT", "nan"),  # taken, and every fetch failed later
        ("LOFTE_FETCH_TIMEOUT", "inf"),
        ("LOFTE_FETCH_TIMEOUT", "-1"),
    ],
)
def test_settings_out_of_their_range_are_refused_naming_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """QA: these were taken without a word."""
    from lofte.config import read_settings
    from lofte.errors import ConfigError

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        read_settings()


def test_a_public_url_without_its_scheme_is_refused_with_what_was_given_and_an_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: the error showed the regex the value failed
    from lofte.config import read_settings
    from lofte.errors import ConfigError

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOFTE_PUBLIC_URL", "lofte.example.se")
    with pytest.raises(ConfigError) as refused:
        read_settings()
    message = str(refused.value)
    assert "LOFTE_PUBLIC_URL: 'lofte.example.se' is not an http:// or https:// address" in message
    assert message.endswith("e.g. https://lofte.example.se") and "^(" not in message
    monkeypatch.setenv("LOFTE_PUBLIC_URL", "https://lofte.example.se")
    assert read_settings().public_url == "https://lofte.example.se"


def test_trusted_proxies_take_addresses_networks_and_any(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOFTE_TRUSTED_PROXIES", " 10.0.0.5, 10.0.0.0/24,::1 ,*")
    assert Settings().trusted_proxies == " 10.0.0.5, 10.0.0.0/24,::1 ,*"


def test_a_lofte_variable_that_names_no_setting_is_warned_about_with_the_nearest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QA: LOFTE_SECERT_KEY was silently ignored and the server ran on a random key
    from lofte.config import unknown_settings

    environ = {
        "LOFTE_SECERT_KEY": "x",
        "LOFTE_DATABASE_URL": "sqlite://",
        "LOFTE_TEST_POSTGRES_URL": "x",  # the tests' own, not a setting
        "LOFTE_NEW_PASSWORD": "x",  # read by `lofte user add`
        "LOFTE_WHATEVER": "1",
        "PATH": "/bin",
    }
    assert unknown_settings(environ) == [
        "LOFTE_SECERT_KEY is not a Löfte setting and is ignored (did you mean LOFTE_SECRET_KEY?)",
        "LOFTE_WHATEVER is not a Löfte setting and is ignored (docs/settings.md lists them)",
    ]
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "# a comment\nexport LOFTE_PROT=8001\nLOFTE_PORT=8002\n", encoding="utf-8"
    )
    for name in [n for n in os.environ if n.startswith("LOFTE_")]:
        monkeypatch.delenv(name)
    assert unknown_settings() == [
        "LOFTE_PROT is not a Löfte setting and is ignored (did you mean LOFTE_PORT?)"
    ]


def test_the_default_tracker_setting_is_checked_as_a_slug_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOFTE_DEFAULT_TRACKER", "Bad Slug")
    with pytest.raises(ConfigError, match="LOFTE_DEFAULT_TRACKER: .*lowercase letters"):
        read_settings()
