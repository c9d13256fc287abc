"""The SCRAM password is a secret: a canary value must never show up in the settings' printed
forms, configuration errors, tracebacks, logs, the metrics exposition or the CLI's output.

The same canary is checked end to end (worker log, /metrics, dead-letter headers) in
tests/integration/test_security.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka.errors import KafkaError
from prometheus_client import CollectorRegistry, generate_latest

from streams.settings import Settings, SettingsError, load_settings
from tests.conftest import REPO

CANARY = "wf-canary-" + secrets.token_hex(8)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for key in list(os.environ):
        if key.startswith("WIREFEED_"):
            monkeypatch.delenv(key)
    yield monkeypatch


def closed_port() -> int:
    """A loopback port nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def secure_env(port: int | None = None) -> dict[str, str]:
    return {
        "WIREFEED_BROKER": f"kafka://127.0.0.1:{port or closed_port()}",
        "WIREFEED_SECURITY_PROTOCOL": "SASL_SSL",
        "WIREFEED_SASL_MECHANISM": "SCRAM-SHA-512",
        "WIREFEED_SASL_USERNAME": "wirefeed",
        "WIREFEED_SASL_PASSWORD": CANARY,
    }


def secure_settings(**overrides: object) -> Settings:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in secure_env().items():
            patch.setenv(key, value)
        return load_settings(**overrides)


def assert_clean(text: str | bytes, where: str) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    assert CANARY not in text, f"the SASL password leaked into {where}:\n{text[-3000:]}"


# ------------------------------------------------------------------ settings


def test_the_password_is_read() -> None:
    settings = secure_settings()
    assert settings.sasl_password is not None
    assert settings.sasl_password.get_secret_value() == CANARY


def test_settings_never_print_the_password() -> None:
    settings = secure_settings()
    assert_clean(repr(settings), "repr(settings)")
    assert_clean(str(settings), "str(settings)")
    assert_clean(f"{settings}", "format(settings)")
    assert_clean(settings.model_dump_json(), "model_dump_json()")
    assert_clean(json.dumps(settings.model_dump(mode="json")), "model_dump(mode='json')")
    assert_clean(json.dumps(settings.model_dump(), default=str), "model_dump()")
    assert_clean(repr(settings.sasl_password), "repr(sasl_password)")
    assert_clean(str(settings.sasl_password), "str(sasl_password)")
    assert json.loads(settings.model_dump_json())["sasl_password"] == "**********"


def test_configuration_errors_never_show_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in secure_env().items():
        monkeypatch.setenv(key, value)
    bad: list[dict[str, str]] = [
        {"WIREFEED_PARTITIONS": "lots", "WIREFEED_SSL_CHECK_HOSTNAME": "perhaps"},
        {"WIREFEED_PROFILE": "production", "WIREFEED_SECURITY_PROTOCOL": "SASL_PLAINTEXT"},
        {"WIREFEED_PROFILE": "production", "WIREFEED_SSL_CHECK_HOSTNAME": "false"},
        {"WIREFEED_SASL_USERNAME": ""},
        {"WIREFEED_SSL_CAFILE": "/nonexistent/ca.pem"},
        {"WIREFEED_SASL_MECHANISM": CANARY[:4]},
    ]
    for extra in bad:
        with monkeypatch.context() as patch:
            for key, value in extra.items():
                patch.setenv(key, value)
            with pytest.raises(SettingsError) as caught:
                load_settings()
        assert_clean(str(caught.value), f"SettingsError for {extra}")
        assert_clean("".join(traceback.format_exception(caught.value)), f"the traceback for {extra}")


def test_faust_credentials_never_print_the_password() -> None:
    from streams.app import _credentials

    credentials = _credentials(secure_settings())
    assert credentials.password == CANARY  # faust gets it...
    assert_clean(repr(credentials), "repr(SASLCredentials)")  # ...and does not print it
    assert_clean(str(credentials), "str(SASLCredentials)")


def test_metrics_and_app_config_never_show_the_password() -> None:
    from streams.app import create_app

    registry = CollectorRegistry()
    wf = create_app(secure_settings(store="memory://"), registry)
    assert_clean(generate_latest(registry), "the metrics exposition")
    assert_clean(repr(wf.app.conf.broker_credentials), "faust's broker_credentials")
    assert_clean(repr(wf.app), "repr(app)")


def test_connection_failures_never_log_the_password(caplog: pytest.LogCaptureFixture) -> None:
    """The admin client every command starts with, against a closed port, logging everything."""
    from streams.topics import ensure_topics

    settings = secure_settings()
    caplog.set_level(logging.DEBUG)
    with pytest.raises((KafkaError, TimeoutError)) as caught:
        asyncio.run(asyncio.wait_for(ensure_topics(settings), 30))
    assert_clean(caplog.text, "the log")
    assert_clean("".join(traceback.format_exception(caught.value)), "the traceback")


# ------------------------------------------------------------------ the command line


def wirefeed(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WIREFEED_")}
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        env={**full_env, **env},
        cwd=REPO,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def assert_cli_clean(result: subprocess.CompletedProcess[bytes], what: str) -> None:
    assert_clean(result.stdout, f"stdout of {what}")
    assert_clean(result.stderr, f"stderr of {what}")


@pytest.mark.parametrize(
    "args",
    [
        ["topics"],
        ["tail", "--timeout", "1", "--limit", "1"],
        ["produce", "examples/feed/01-putin-pjoengjang.txt"],
    ],
    ids=lambda args: args[0],
)
def test_cli_kafka_failures_never_print_the_password(args: list[str]) -> None:
    if not (REPO / args[-1]).exists() and args[0] == "produce":
        pytest.skip("example feed file missing")
    result = wirefeed(*args, env={**secure_env(), "WIREFEED_LOG_LEVEL": "debug"})
    assert result.returncode != 0, result
    assert b"127.0.0.1" in result.stderr  # it did fail on the broker, and said so
    assert_cli_clean(result, f"wirefeed {args[0]}")


def test_cli_worker_failure_never_prints_the_password(tmp_path: Path) -> None:
    env = {
        **secure_env(),
        "WIREFEED_LOG_LEVEL": "debug",
        "WIREFEED_DATA_DIR": str(tmp_path / "state"),
        "WIREFEED_WEB_PORT": str(closed_port()),
    }
    result = wirefeed("worker", env=env)
    assert result.returncode != 0, result
    assert_cli_clean(result, "wirefeed worker")


def test_cli_configuration_error_never_prints_the_password() -> None:
    env = {**secure_env(), "WIREFEED_PROFILE": "production", "WIREFEED_SECURITY_PROTOCOL": "SASL_PLAINTEXT"}
    result = wirefeed("topics", env=env)
    assert result.returncode == 2
    assert b"WIREFEED_SECURITY_PROTOCOL" in result.stderr
    assert_cli_clean(result, "a configuration error")


def test_cli_offline_commands_never_print_the_password() -> None:
    result = wirefeed("parse", "examples/feed", env=secure_env())
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout
    assert_cli_clean(result, "wirefeed parse")
