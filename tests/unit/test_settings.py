"""Settings: every bad key is named, the production profile's transport policy, SASL credentials,
and the connection options every Kafka client (aiokafka and Faust) gets from them."""

from __future__ import annotations

import importlib.util
import os
import ssl
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from streams.settings import Settings, SettingsError, load_settings
from tests.conftest import REPO


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Only what a test sets: no WIREFEED_* from the developer's shell."""
    for key in list(os.environ):
        if key.startswith("WIREFEED_"):
            monkeypatch.delenv(key)
    yield monkeypatch


def _certs_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wirefeed_certs", REPO / "deploy/kafka/secure/certs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("cryptography")
    directory = tmp_path_factory.mktemp("tls")
    _certs_module().make_certs(directory, ["localhost", "127.0.0.1"], days=1)
    return directory


def error_of(**env: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        with pytest.raises(SettingsError) as caught:
            load_settings()
    return str(caught.value)


def load(**env: str) -> Settings:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        return load_settings()


# ------------------------------------------------------------------ every bad key is named


def test_defaults_load() -> None:
    settings = load_settings()
    assert settings.profile == "dev"
    assert settings.security_protocol == "PLAINTEXT"
    assert settings.ssl_check_hostname is True
    assert settings.sasl_password is None


def test_every_invalid_value_is_named() -> None:
    message = error_of(
        WIREFEED_PARTITIONS="many",
        WIREFEED_SECURITY_PROTOCOL="TLS",
        WIREFEED_SASL_MECHANISM="MD5",
        WIREFEED_SSL_CHECK_HOSTNAME="perhaps",
        WIREFEED_PROFILE="prod",
        WIREFEED_WEB_PORT="0",
    )
    for key in (
        "WIREFEED_PARTITIONS",
        "WIREFEED_SECURITY_PROTOCOL",
        "WIREFEED_SASL_MECHANISM",
        "WIREFEED_SSL_CHECK_HOSTNAME",
        "WIREFEED_PROFILE",
        "WIREFEED_WEB_PORT",
    ):
        assert key in message, (key, message)
    assert "WIREFEED_BROKER" not in message


def test_overrides_are_named_like_the_environment() -> None:
    with pytest.raises(SettingsError, match="WIREFEED_REPLICATION"):
        load_settings(replication=0)


# ------------------------------------------------------------------ the production profile


@pytest.mark.parametrize("protocol", ["PLAINTEXT", "SASL_PLAINTEXT"])
def test_production_refuses_plaintext(protocol: str) -> None:
    message = error_of(
        WIREFEED_PROFILE="production",
        WIREFEED_SECURITY_PROTOCOL=protocol,
        WIREFEED_SASL_MECHANISM="SCRAM-SHA-512",
        WIREFEED_SASL_USERNAME="wirefeed",
        WIREFEED_SASL_PASSWORD="pw",
    )
    assert message.startswith("WIREFEED_SECURITY_PROTOCOL:")
    assert "plaintext" in message
    assert "WIREFEED_SSL_CHECK_HOSTNAME" not in message


def test_production_refuses_plaintext_by_default() -> None:
    assert "WIREFEED_SECURITY_PROTOCOL" in error_of(WIREFEED_PROFILE="production")


@pytest.mark.parametrize("protocol", ["SSL", "SASL_SSL"])
def test_production_refuses_disabled_hostname_verification(protocol: str) -> None:
    message = error_of(
        WIREFEED_PROFILE="production",
        WIREFEED_SECURITY_PROTOCOL=protocol,
        WIREFEED_SASL_MECHANISM="SCRAM-SHA-256",
        WIREFEED_SASL_USERNAME="wirefeed",
        WIREFEED_SASL_PASSWORD="pw",
        WIREFEED_SSL_CHECK_HOSTNAME="false",
    )
    assert message.startswith("WIREFEED_SSL_CHECK_HOSTNAME:")
    assert "WIREFEED_SECURITY_PROTOCOL" not in message


def test_production_names_both_transport_problems() -> None:
    message = error_of(WIREFEED_PROFILE="production", WIREFEED_SSL_CHECK_HOSTNAME="0")
    assert "WIREFEED_SECURITY_PROTOCOL" in message
    assert "WIREFEED_SSL_CHECK_HOSTNAME" in message


def test_dev_profile_allows_plaintext_and_unchecked_hostnames() -> None:
    settings = load(WIREFEED_SECURITY_PROTOCOL="SSL", WIREFEED_SSL_CHECK_HOSTNAME="false")
    assert settings.ssl_check_hostname is False
    assert load(WIREFEED_SECURITY_PROTOCOL="PLAINTEXT").security_protocol == "PLAINTEXT"


# ------------------------------------------------------------------ SASL credentials


@pytest.mark.parametrize("protocol", ["SASL_SSL", "SASL_PLAINTEXT"])
def test_sasl_without_credentials(protocol: str) -> None:
    message = error_of(WIREFEED_SECURITY_PROTOCOL=protocol, WIREFEED_SASL_MECHANISM="SCRAM-SHA-512")
    assert "WIREFEED_SASL_USERNAME" in message
    assert "WIREFEED_SASL_PASSWORD" in message


def test_sasl_without_password() -> None:
    message = error_of(WIREFEED_SECURITY_PROTOCOL="SASL_SSL", WIREFEED_SASL_USERNAME="wirefeed")
    assert "WIREFEED_SASL_PASSWORD" in message
    assert "WIREFEED_SASL_USERNAME" not in message


def test_sasl_with_an_empty_password() -> None:
    message = error_of(
        WIREFEED_SECURITY_PROTOCOL="SASL_SSL", WIREFEED_SASL_USERNAME="wirefeed", WIREFEED_SASL_PASSWORD=""
    )
    assert "WIREFEED_SASL_PASSWORD" in message


def test_sasl_without_username() -> None:
    message = error_of(WIREFEED_SECURITY_PROTOCOL="SASL_SSL", WIREFEED_SASL_PASSWORD="pw")
    assert "WIREFEED_SASL_USERNAME" in message
    assert "WIREFEED_SASL_PASSWORD" not in message


def test_every_policy_problem_is_named_at_once() -> None:
    message = error_of(
        WIREFEED_PROFILE="production",
        WIREFEED_SECURITY_PROTOCOL="SASL_PLAINTEXT",
        WIREFEED_SSL_CHECK_HOSTNAME="false",
    )
    for key in (
        "WIREFEED_SECURITY_PROTOCOL",
        "WIREFEED_SSL_CHECK_HOSTNAME",
        "WIREFEED_SASL_USERNAME",
        "WIREFEED_SASL_PASSWORD",
    ):
        assert key in message, (key, message)


# ------------------------------------------------------------------ TLS files


def test_missing_tls_files_are_named(tmp_path: Path) -> None:
    message = error_of(
        WIREFEED_SECURITY_PROTOCOL="SSL",
        WIREFEED_SSL_CAFILE=str(tmp_path / "nope-ca.pem"),
        WIREFEED_SSL_CERTFILE=str(tmp_path / "nope-cert.pem"),
        WIREFEED_SSL_KEYFILE=str(tmp_path / "nope-key.pem"),
    )
    for key in ("WIREFEED_SSL_CAFILE", "WIREFEED_SSL_CERTFILE", "WIREFEED_SSL_KEYFILE"):
        assert key in message, (key, message)


def test_keyfile_without_certfile(tls_dir: Path) -> None:
    message = error_of(WIREFEED_SECURITY_PROTOCOL="SSL", WIREFEED_SSL_KEYFILE=str(tls_dir / "client-key.pem"))
    assert message.startswith("WIREFEED_SSL_KEYFILE:")


def test_tls_files_are_not_checked_without_tls(tmp_path: Path) -> None:
    settings = load(WIREFEED_SSL_CAFILE=str(tmp_path / "unused.pem"))
    assert settings.security_protocol == "PLAINTEXT"


# ------------------------------------------------------------------ good configs


def test_production_sasl_ssl_scram(tls_dir: Path) -> None:
    settings = load(
        WIREFEED_PROFILE="production",
        WIREFEED_BROKER="kafka://kafka-1.example:9094;kafka://kafka-2.example:9094",
        WIREFEED_SECURITY_PROTOCOL="SASL_SSL",
        WIREFEED_SASL_MECHANISM="SCRAM-SHA-512",
        WIREFEED_SASL_USERNAME="wirefeed",
        WIREFEED_SASL_PASSWORD="s3cret",
        WIREFEED_SSL_CAFILE=str(tls_dir / "ca.pem"),
    )
    assert settings.profile == "production"
    assert settings.sasl_mechanism == "SCRAM-SHA-512"
    assert settings.sasl_password is not None
    assert settings.sasl_password.get_secret_value() == "s3cret"
    assert settings.bootstrap_servers == "kafka-1.example:9094,kafka-2.example:9094"


def test_production_mutual_tls(tls_dir: Path) -> None:
    settings = load(
        WIREFEED_PROFILE="production",
        WIREFEED_SECURITY_PROTOCOL="SSL",
        WIREFEED_SSL_CAFILE=str(tls_dir / "ca.pem"),
        WIREFEED_SSL_CERTFILE=str(tls_dir / "client.pem"),
        WIREFEED_SSL_KEYFILE=str(tls_dir / "client-key.pem"),
    )
    assert settings.ssl_certfile == tls_dir / "client.pem"
    assert settings.ssl_check_hostname is True


def test_production_sasl_ssl_with_system_trust_store() -> None:
    settings = load(
        WIREFEED_PROFILE="production",
        WIREFEED_SECURITY_PROTOCOL="SASL_SSL",
        WIREFEED_SASL_MECHANISM="SCRAM-SHA-256",
        WIREFEED_SASL_USERNAME="wirefeed",
        WIREFEED_SASL_PASSWORD="s3cret",
    )
    assert settings.ssl_cafile is None


def test_settings_are_frozen() -> None:
    settings = load_settings()
    with pytest.raises(ValueError):
        settings.security_protocol = "SSL"  # type: ignore[misc]


# ------------------------------------------------------------------ what the clients get


def _sasl_ssl(tls_dir: Path, **extra: Any) -> Settings:
    return load_settings(
        broker="kafka://127.0.0.1:9094",
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="wirefeed",
        sasl_password="s3cret",
        ssl_cafile=tls_dir / "ca.pem",
        **extra,
    )


def test_client_options_sasl_ssl(tls_dir: Path) -> None:
    from streams.kafka_conn import client_options

    options = client_options(_sasl_ssl(tls_dir))
    context = options.pop("ssl_context")
    assert options == {
        "bootstrap_servers": "127.0.0.1:9094",
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "wirefeed",
        "sasl_plain_password": "s3cret",
    }
    assert isinstance(context, ssl.SSLContext)
    assert context.check_hostname is True
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.cert_store_stats()["x509_ca"] == 1  # our CA, not the system's


def test_client_options_mutual_tls(tls_dir: Path) -> None:
    from streams.kafka_conn import client_options

    options = client_options(
        load_settings(
            security_protocol="SSL",
            ssl_cafile=tls_dir / "ca.pem",
            ssl_certfile=tls_dir / "client.pem",
            ssl_keyfile=tls_dir / "client-key.pem",
        )
    )
    assert options["security_protocol"] == "SSL"
    assert "sasl_mechanism" not in options
    assert options["ssl_context"].check_hostname is True


def test_client_options_hostname_check_off_in_dev(tls_dir: Path) -> None:
    from streams.kafka_conn import client_options

    context = client_options(_sasl_ssl(tls_dir, ssl_check_hostname=False))["ssl_context"]
    assert context.check_hostname is False
    assert context.verify_mode == ssl.CERT_REQUIRED  # the chain is still verified


def test_client_options_plaintext() -> None:
    from streams.kafka_conn import client_options

    assert client_options(load_settings()) == {
        "bootstrap_servers": "127.0.0.1:9092",
        "security_protocol": "PLAINTEXT",
    }


def test_faust_gets_the_same_scram_credentials(tls_dir: Path) -> None:
    """faust-streaming turns ``broker_credentials`` into aiokafka options for its consumer,
    producer and admin clients; they must match what our own clients use."""
    from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

    from streams.app import _credentials

    settings = _sasl_ssl(tls_dir)
    auth = dict(credentials_to_aiokafka_auth(_credentials(settings)))
    context = auth.pop("ssl_context")
    assert auth == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "wirefeed",
        "sasl_plain_password": "s3cret",
    }
    assert context.check_hostname is True
    assert context.verify_mode == ssl.CERT_REQUIRED


def test_faust_gets_sasl_plaintext_without_tls() -> None:
    from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

    from streams.app import _credentials

    settings = load_settings(
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-256",
        sasl_username="wirefeed",
        sasl_password="s3cret",
    )
    auth = credentials_to_aiokafka_auth(_credentials(settings))
    assert auth["security_protocol"] == "SASL_PLAINTEXT"
    assert auth["sasl_mechanism"] == "SCRAM-SHA-256"
    assert auth["ssl_context"] is None


def test_faust_gets_mutual_tls(tls_dir: Path) -> None:
    from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

    from streams.app import _credentials

    settings = load_settings(
        security_protocol="SSL",
        ssl_cafile=tls_dir / "ca.pem",
        ssl_certfile=tls_dir / "client.pem",
        ssl_keyfile=tls_dir / "client-key.pem",
    )
    auth = credentials_to_aiokafka_auth(_credentials(settings))
    assert auth["security_protocol"] == "SSL"
    assert auth["ssl_context"].check_hostname is True
    assert "sasl_mechanism" not in auth


def test_faust_gets_nothing_for_plaintext() -> None:
    from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

    from streams.app import _credentials

    assert _credentials(load_settings()) is None
    assert credentials_to_aiokafka_auth(None) == {"security_protocol": "PLAINTEXT"}


# ------------------------------------------------------------------ consumer group liveness and restore


def test_liveness_and_fetch_defaults() -> None:
    settings = load_settings()
    assert settings.session_timeout == 10.0
    assert settings.heartbeat_interval == 1.0
    assert settings.standby_replicas == 1
    assert settings.consumer_fetch_bytes == 16 * 1024 * 1024


def test_liveness_from_the_environment() -> None:
    settings = load(
        WIREFEED_SESSION_TIMEOUT="45",
        WIREFEED_HEARTBEAT_INTERVAL="3",
        WIREFEED_STANDBY_REPLICAS="0",
        WIREFEED_CONSUMER_FETCH_MB="32",
    )
    assert (settings.session_timeout, settings.heartbeat_interval) == (45.0, 3.0)
    assert settings.standby_replicas == 0
    assert settings.consumer_fetch_bytes == 32 * 1024 * 1024


def test_bad_liveness_values_are_named() -> None:
    message = error_of(
        WIREFEED_SESSION_TIMEOUT="0",
        WIREFEED_HEARTBEAT_INTERVAL="-1",
        WIREFEED_STANDBY_REPLICAS="-1",
        WIREFEED_CONSUMER_FETCH_MB="0",
    )
    for key in (
        "WIREFEED_SESSION_TIMEOUT",
        "WIREFEED_HEARTBEAT_INTERVAL",
        "WIREFEED_STANDBY_REPLICAS",
        "WIREFEED_CONSUMER_FETCH_MB",
    ):
        assert key in message, (key, message)


def test_heartbeat_must_fit_three_times_in_the_session() -> None:
    message = error_of(WIREFEED_SESSION_TIMEOUT="6", WIREFEED_HEARTBEAT_INTERVAL="3")
    assert "WIREFEED_HEARTBEAT_INTERVAL" in message and "6 s" in message
    assert load(WIREFEED_SESSION_TIMEOUT="6", WIREFEED_HEARTBEAT_INTERVAL="2").heartbeat_interval == 2.0


def test_fetch_size_never_below_the_largest_record() -> None:
    settings = load(WIREFEED_CONSUMER_FETCH_MB="1", WIREFEED_MAX_MESSAGE_BYTES=str(4 * 1024 * 1024))
    assert settings.consumer_fetch_bytes == settings.max_record_bytes > 1024 * 1024


def test_faust_gets_liveness_fetch_and_logging_settings() -> None:
    from streams.app import create_app

    settings = load_settings(
        store="memory://", session_timeout=20, heartbeat_interval=2, standby_replicas=0, log_level="info"
    )
    conf = create_app(settings).app.conf
    assert conf.broker_session_timeout == 20.0
    assert conf.broker_heartbeat_interval == 2.0
    assert conf.table_standby_replicas == 0
    assert conf.consumer_max_fetch_size == settings.consumer_fetch_bytes
    # Faust's worker turns the root logger to DEBUG for its spinner: its own loggers keep ours.
    assert conf.logging_config["loggers"]["faust"] == {"level": "INFO"}
    assert conf.logging_config["loggers"]["mode"] == {"level": "INFO"}


def test_static_membership_is_off_unless_an_instance_id_is_given() -> None:
    from streams.app import create_app

    assert create_app(load_settings(store="memory://")).app.conf.consumer_group_instance_id is None
    conf = create_app(load_settings(store="memory://", group_instance_id="wirefeed-0")).app.conf
    assert conf.consumer_group_instance_id == "wirefeed-0"
