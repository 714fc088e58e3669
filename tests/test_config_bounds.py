"""Every numeric setting has bounds, and a value outside them is refused when the settings are
read, naming its variable (QA: LOFTE_LOGIN_WINDOW=-1 was taken and silently turned the login
throttle off; LOFTE_SMTP_PORT=0 and LOFTE_PARSE_MEMORY_MB=-1 were taken too)."""

from __future__ import annotations

import math
from pathlib import Path

import annotated_types
import pytest

from lofte.config import Settings, read_settings
from lofte.errors import ConfigError


@pytest.fixture(autouse=True)
def no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the checkout's


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("LOFTE_LOGIN_WINDOW", "-1", "greater than or equal to 60"),
        ("LOFTE_LOGIN_WINDOW", "0", "greater than or equal to 60"),
        ("LOFTE_LOGIN_WINDOW", "1e12", "less than or equal to 2592000"),  # a date overflow
        ("LOFTE_LOGIN_WINDOW", "nan", "finite number"),
        ("LOFTE_SMTP_PORT", "0", "greater than or equal to 1"),
        ("LOFTE_SMTP_PORT", "65536", "less than or equal to 65535"),
        ("LOFTE_PARSE_MEMORY_MB", "-1", "greater than or equal to 0"),
        ("LOFTE_PARSE_MEMORY_MB", "99999999999", "less than or equal to 1048576"),
        ("LOFTE_PARSE_WORKER_MIN_BYTES", "-1", "greater than or equal to 0"),
        ("LOFTE_FETCH_MIN_INTERVAL", "-0.5", "greater than or equal to 0"),
        ("LOFTE_FETCH_MIN_INTERVAL", "inf", "finite number"),  # time.sleep(inf) raises
        ("LOFTE_FETCH_DEADLINE", "inf", "finite number"),
        ("LOFTE_INPUT_TIME_BUDGET", "inf", "finite number"),
        ("LOFTE_PROGRESS_INTERVAL", "1e300", "less than or equal to 86400"),
        ("LOFTE_SQLITE_BUSY_WAIT", "inf", "finite number"),
        ("LOFTE_SMTP_TIMEOUT", "inf", "finite number"),
        ("LOFTE_WEBHOOK_TIMEOUT", "1e300", "less than or equal to 86400"),
        ("LOFTE_NOTIFY_ATTEMPTS", "1000", "less than or equal to 10"),
        ("LOFTE_NOTIFY_BACKOFF", "inf", "finite number"),
        ("LOFTE_NOTIFY_MIN_INTERVAL", "-1", "greater than or equal to 0"),
        ("LOFTE_LOGIN_USER_LIMIT", "1000000", "less than or equal to 1000"),
        ("LOFTE_LOGIN_ADDRESS_LIMIT", "1000000", "less than or equal to 1000"),
    ],
)
def test_a_value_out_of_bounds_is_refused_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        read_settings()
    message = str(refused.value)
    assert f"{name}: " in message and said in message and f"(got {value!r})" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOFTE_LOGIN_WINDOW", "60"),
        ("LOFTE_LOGIN_WINDOW", "2592000"),
        ("LOFTE_SMTP_PORT", "1"),
        ("LOFTE_SMTP_PORT", "65535"),
        ("LOFTE_PARSE_MEMORY_MB", "0"),  # no limit, as documented
        ("LOFTE_PARSE_WORKER_MIN_BYTES", "0"),  # every input in a worker (tests use it)
        ("LOFTE_FETCH_MIN_INTERVAL", "0"),  # the tests' local servers
        ("LOFTE_INPUT_TIME_BUDGET", "0"),  # no limit, as documented
        ("LOFTE_PROGRESS_INTERVAL", "0"),  # a line at every step, as documented
        ("LOFTE_NOTIFY_BACKOFF", "0"),
        ("LOFTE_NOTIFY_MIN_INTERVAL", "0"),  # a digest on every run, as documented
        ("LOFTE_SQLITE_BUSY_WAIT", "0.2"),
    ],
)
def test_values_at_the_bounds_and_the_documented_zeros_are_taken(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    assert getattr(read_settings(), name.removeprefix("LOFTE_").lower()) == float(value)


def _bounds(name: str) -> tuple[float | None, float | None, bool]:
    """(lowest, highest, finite only) of a setting, from its field's constraints."""
    low = high = None
    finite = False
    for constraint in Settings.model_fields[name].metadata:
        if isinstance(constraint, annotated_types.Ge | annotated_types.Gt):
            low = float(getattr(constraint, "ge", getattr(constraint, "gt", math.nan)))
        elif isinstance(constraint, annotated_types.Le):
            high = float(constraint.le)  # type: ignore[arg-type]
        elif getattr(constraint, "allow_inf_nan", True) is False:
            finite = True
    return low, high, finite


NUMERIC = [
    name for name, field in Settings.model_fields.items() if field.annotation in (int, float)
]


@pytest.mark.parametrize("name", NUMERIC)
def test_every_numeric_setting_has_a_lower_bound_and_floats_are_finite(name: str) -> None:
    """A new setting without bounds would take -1 silently, as LOFTE_LOGIN_WINDOW did."""
    low, high, finite = _bounds(name)
    assert low is not None, f"LOFTE_{name.upper()} has no lower bound"
    if Settings.model_fields[name].annotation is float:
        assert finite and high is not None, f"LOFTE_{name.upper()} takes inf or nan"
    default = Settings.model_fields[name].default
    assert default >= low and (high is None or default <= high), name


def test_the_bounds_are_in_settings_md() -> None:
    """docs/settings.md says the bounds of each bounded setting (as "at least"/"at most" or a
    range), so an admin learns them before the error does."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text("utf-8")
    rows = {line.split("`")[1]: line for line in docs.splitlines() if line.startswith("| `LOFTE_")}
    for name in NUMERIC:
        low, high, _ = _bounds(name)
        row = rows[f"LOFTE_{name.upper()}"]
        shown = row.replace(",", "").replace("\u2009", "")
        for bound in (low, high):
            if bound is not None and bound not in (0, 1):  # 0 and 1: "a positive number"
                assert f"{bound:g}" in shown or f"{int(bound)}" in shown, (name, bound)
