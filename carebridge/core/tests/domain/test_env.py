"""Configuration helpers fail loudly, naming the variable; secrets can come from ``*_FILE``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carebridge.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_optional,
    env_secret,
    env_str,
)

pytestmark = pytest.mark.django_db

VAR = "CAREBRIDGE_TEST_SETTING"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    for name in (VAR, f"{VAR}_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_env_str_returns_the_value_or_the_default(monkeypatch):
    assert env_str(VAR, "fallback") == "fallback"
    monkeypatch.setenv(VAR, "value")
    assert env_str(VAR, "fallback") == "value"


def test_env_str_without_a_default_requires_the_variable():
    with pytest.raises(ConfigurationError, match=VAR):
        env_str(VAR)


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), (" 7 ", 7), ("", 5), ("-3", -3)])
def test_env_int_parses_whole_numbers(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_int(VAR, 5) == expected


@pytest.mark.parametrize("raw", ["ten", "1.5", "3 minutes"])
def test_env_int_names_the_variable_and_the_bad_value(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ConfigurationError, match=rf"{VAR} must be a whole number, got '{raw}'"):
        env_int(VAR, 5)


def test_env_int_enforces_the_minimum(monkeypatch):
    monkeypatch.setenv(VAR, "0")
    with pytest.raises(ConfigurationError, match=f"{VAR} must be at least 1, got 0"):
        env_int(VAR, 5, minimum=1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("YES", True),
        (" on ", True),
        ("1", True),
        ("false", False),
        ("No", False),
        ("0", False),
        ("off", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, not expected) is expected


@pytest.mark.parametrize("raw", ["ture", "2", "enabled"])
def test_env_bool_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ConfigurationError, match=VAR):
        env_bool(VAR, False)


def test_env_bool_uses_the_default_when_unset():
    assert env_bool(VAR, True) is True


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    assert env_list(VAR, ["a"]) == ["a"]
    monkeypatch.setenv(VAR, " cb.example.org, ,localhost ,")
    assert env_list(VAR, []) == ["cb.example.org", "localhost"]


def test_env_optional_treats_blank_as_unset(monkeypatch):
    assert env_optional(VAR) is None
    monkeypatch.setenv(VAR, "   ")
    assert env_optional(VAR) is None
    monkeypatch.setenv(VAR, "redis://cache:6379/0")
    assert env_optional(VAR) == "redis://cache:6379/0"


def test_env_secret_reads_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-from-file\n", encoding="utf-8")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret))
    monkeypatch.setenv(VAR, "plain-value")
    assert env_secret(VAR) == "s3cr3t-from-file"  # the file wins, trailing newline stripped


def test_env_secret_falls_back_to_the_plain_variable(monkeypatch):
    monkeypatch.setenv(VAR, "plain-value")
    assert env_secret(VAR) == "plain-value"


def test_env_secret_fails_loudly_when_the_file_cannot_be_read(monkeypatch, tmp_path):
    missing = tmp_path / "nope"
    monkeypatch.setenv(f"{VAR}_FILE", str(missing))
    with pytest.raises(ConfigurationError, match=f"{VAR}_FILE points at"):
        env_secret(VAR, "default")


def test_env_secret_without_value_or_default_is_an_error():
    with pytest.raises(ConfigurationError, match=VAR):
        env_secret(VAR)


# --- the settings module refuses to start on bad values ------------------------------------------------


def _load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CAREBRIDGE_", "SECRET_KEY", "AXES_", "DATABASE_URL", "REDIS_URL"))
    }
    clean.update({"CAREBRIDGE_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-c", "import carebridge.settings"],
        cwd=Path(__file__).resolve().parents[4],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_refuse_an_unknown_environment(tmp_path):
    result = _load_settings(tmp_path, CAREBRIDGE_ENV="staging")
    assert result.returncode != 0
    assert "CAREBRIDGE_ENV must be 'development' or 'production'" in result.stderr


def test_settings_in_production_require_a_secret_key(tmp_path):
    result = _load_settings(tmp_path, CAREBRIDGE_ENV="production")
    assert result.returncode != 0
    assert "ConfigurationError: Environment variable SECRET_KEY is required." in result.stderr


def test_settings_in_production_take_the_secret_key_from_a_file(tmp_path):
    key = tmp_path / "key"
    key.write_text("k" * 50, encoding="utf-8")
    result = _load_settings(
        tmp_path, CAREBRIDGE_ENV="production", SECRET_KEY_FILE=str(key), ALLOWED_HOSTS="cb.example.org"
    )
    assert result.returncode == 0, result.stderr


def test_settings_name_a_malformed_number(tmp_path):
    result = _load_settings(tmp_path, AXES_FAILURE_LIMIT="five")
    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT must be a whole number, got 'five'" in result.stderr
