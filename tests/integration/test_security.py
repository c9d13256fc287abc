"""Secure transport end to end: a second local broker with TLS listeners, a worker through it.

The broker (deploy/kafka/secure/broker.sh and server.properties: its own ports and state dir, so
the suite's plaintext broker is untouched) has

- a SASL_SSL listener with SCRAM-SHA-256/512 (the user is created when the data dir is
  formatted; its password is a canary that must never show up in wirefeed's output), and
- an SSL listener that requires a client certificate (mutual TLS),

with certificates made for the test (deploy/kafka/secure/certs.py: a CA, a server certificate for
localhost and 127.0.0.1, a client certificate). A worker in the production profile runs through
SASL_SSL with SCRAM-SHA-512 and hostname verification; the test's own aiokafka clients use
``streams.kafka_conn.client_options``. A story event must arrive, bad input must be
dead-lettered, and the canary must not appear in the worker's log, ``/metrics``, the dead-letter
headers or the CLI's output. Then the same through mutual TLS.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError

from streams.kafka_conn import client_options, ssl_context
from streams.settings import Settings, load_settings
from streams.topics import partitions_of
from tests.conftest import FEED, REPO
from tests.integration.conftest import WorkerRun, events_of, free_port, run_env

pytestmark = pytest.mark.integration

CANARY = "wf-canary-" + secrets.token_hex(8)
USER = "wirefeed"
SECURE_BROKER = REPO / "deploy" / "kafka" / "secure"
STORY = (FEED / "01-putin-pjoengjang.txt").read_bytes()
HEADLINE = "Putin zu Staatsbesuch in Nordkorea eingetroffen"
BAD = {b"": "empty_message", bytes(range(256)) * 4: "bad_encoding", b"<NewsML><broken": "malformed_xml"}


@dataclass
class SecureBroker:
    tls: Path
    sasl_ssl_port: int
    ssl_port: int

    def scram(self, mechanism: str = "SCRAM-SHA-512", password: str = CANARY, **extra: Any) -> Settings:
        return load_settings(
            broker=f"kafka://127.0.0.1:{self.sasl_ssl_port}",
            profile="production",
            security_protocol="SASL_SSL",
            sasl_mechanism=mechanism,
            sasl_username=USER,
            sasl_password=password,
            ssl_cafile=self.tls / "ca.pem",
            **extra,
        )

    def mtls(self, client_cert: bool = True, **extra: Any) -> Settings:
        files = {"ssl_certfile": self.tls / "client.pem", "ssl_keyfile": self.tls / "client-key.pem"}
        return load_settings(
            broker=f"kafka://127.0.0.1:{self.ssl_port}",
            profile="production",
            security_protocol="SSL",
            ssl_cafile=self.tls / "ca.pem",
            **(files if client_cert else {}),
            **extra,
        )

    def scram_env(self) -> dict[str, str]:
        # The worker bootstraps through "localhost" (the certificate's DNS name) and then talks to
        # the advertised 127.0.0.1 (its IP address name): hostname verification sees both.
        return {
            "WIREFEED_BROKER": f"kafka://localhost:{self.sasl_ssl_port}",
            "WIREFEED_PROFILE": "production",
            "WIREFEED_SECURITY_PROTOCOL": "SASL_SSL",
            "WIREFEED_SASL_MECHANISM": "SCRAM-SHA-512",
            "WIREFEED_SASL_USERNAME": USER,
            "WIREFEED_SASL_PASSWORD": CANARY,
            "WIREFEED_SSL_CAFILE": str(self.tls / "ca.pem"),
            "WIREFEED_SSL_CHECK_HOSTNAME": "true",
        }

    def mtls_env(self) -> dict[str, str]:
        return {
            "WIREFEED_BROKER": f"kafka://127.0.0.1:{self.ssl_port}",
            "WIREFEED_PROFILE": "production",
            "WIREFEED_SECURITY_PROTOCOL": "SSL",
            "WIREFEED_SSL_CAFILE": str(self.tls / "ca.pem"),
            "WIREFEED_SSL_CERTFILE": str(self.tls / "client.pem"),
            "WIREFEED_SSL_KEYFILE": str(self.tls / "client-key.pem"),
            "WIREFEED_SSL_CHECK_HOSTNAME": "true",
        }


def _broker_cmd(command: str, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SECURE_BROKER / "broker.sh"), command],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    pytest.importorskip("cryptography")
    if shutil.which("java") is None:
        pytest.fail("java not found: the secure broker needs Java 17+")
    tmp = tmp_path_factory.mktemp("secure-broker")
    tls = tmp / "tls"
    subprocess.run(
        [
            sys.executable,
            str(SECURE_BROKER / "certs.py"),
            str(tls),
            "--hosts",
            "localhost,127.0.0.1",
            "--days",
            "1",
        ],
        check=True,
        timeout=60,
    )
    ports = [free_port() for _ in range(4)]
    assert len(set(ports)) == 4
    plain_state = Path(os.environ.get("WIREFEED_KAFKA_STATE_DIR") or REPO / ".local" / "kafka")
    state = tmp / "kafka"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("WIREFEED_KAFKA_")},
        "WIREFEED_KAFKA_PORT": str(ports[0]),
        "WIREFEED_KAFKA_CONTROLLER_PORT": str(ports[1]),
        "WIREFEED_KAFKA_SASL_SSL_PORT": str(ports[2]),
        "WIREFEED_KAFKA_SSL_PORT": str(ports[3]),
        "WIREFEED_KAFKA_STATE_DIR": str(state),
        "WIREFEED_KAFKA_TLS_DIR": str(tls),
        "WIREFEED_KAFKA_LIB_FROM": str(plain_state / "lib"),  # the plaintext broker's jars
        "WIREFEED_KAFKA_SCRAM": "\n".join(
            f"{mechanism}=[name={USER},password={CANARY}]" for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512")
        ),
        "KAFKA_HEAP": "-Xmx384m -Xms384m",
    }
    try:
        started = _broker_cmd("start", env, timeout=300)
        if started.returncode != 0:
            pytest.fail(f"the secure broker did not start:\n{started.stderr[-4000:]}")
        yield SecureBroker(tls=tls, sasl_ssl_port=ports[2], ssl_port=ports[3])
    finally:
        stopped = _broker_cmd("stop", env, timeout=90)
        assert stopped.returncode == 0, stopped.stderr
        shutil.rmtree(state / "data", ignore_errors=True)


# ------------------------------------------------------------------ clients


def topics_for(run_id: str) -> dict[str, str]:
    return {
        k.removeprefix("WIREFEED_").lower(): v
        for k, v in run_env(Path("/nonexistent"), run_id).items()
        if k.startswith("WIREFEED_TOPIC_") or k in ("WIREFEED_APP_ID", "WIREFEED_PARTITIONS")
    }


async def produce(settings: Settings, payloads: list[bytes], feed: str = "it-secure") -> None:
    producer = AIOKafkaProducer(acks="all", **client_options(settings))
    await producer.start()
    try:
        for payload in payloads:
            await producer.send_and_wait(
                settings.topic_raw, payload, key=feed.encode(), headers=[("wire-feed", feed.encode())]
            )
    finally:
        await producer.stop()


async def consume(settings: Settings, topic: str, count: int, timeout: float = 60.0) -> list[Any]:
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **client_options(settings))
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + timeout
        tps = [TopicPartition(topic, p) for p in await partitions_of(settings, topic, timeout)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        while len(records) < count and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records


def assert_clean(text: str | bytes, where: str) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    assert CANARY not in text, f"the SASL password leaked into {where}:\n{text[-3000:]}"


def secure_worker(
    tmp_path_factory: pytest.TempPathFactory, name: str, variables: dict[str, str]
) -> WorkerRun:
    run_id = uuid.uuid4().hex[:10]
    tmp = tmp_path_factory.mktemp(f"{name}-{run_id}")
    env = {**run_env(tmp, run_id), **variables}
    settings = load_settings(**{k.removeprefix("WIREFEED_").lower(): v for k, v in env.items()})
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WIREFEED_")}
    return WorkerRun(settings=settings, env={**clean, **env}, log=tmp / "worker.log")


def scrape(run: WorkerRun) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{run.settings.web_port}/metrics", timeout=5) as response:
        body: bytes = response.read()
    return body


def check_story_and_dead_letters(run: WorkerRun, client: Settings) -> None:
    """Post the story and the bad inputs through the secure broker; the event and the dead letters
    come back through it."""
    topics = {k: v for k, v in run.settings.model_dump().items() if k.startswith("topic_")}
    as_client = client.model_copy(update=topics)
    asyncio.run(produce(as_client, [STORY, *BAD]))
    events = events_of(asyncio.run(consume(as_client, as_client.topic_events, 1)))
    assert len(events) == 1, events
    (event,) = events
    assert event["update_type"] == "new"
    assert event["item"]["headlines"][0]["value"] == HEADLINE
    dead = asyncio.run(consume(as_client, as_client.topic_dlq, len(BAD)))
    assert {r.value or b"": dict(r.headers)["wirefeed-reason"].decode() for r in dead} == BAD
    for record in dead:
        for key, value in record.headers:
            assert_clean(key, "a dead-letter header name")
            assert_clean(value, f"the dead-letter header {key}")


# ------------------------------------------------------------------ SASL_SSL with SCRAM


def test_worker_through_sasl_ssl_scram(
    secure_broker: SecureBroker, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Debug logging: whatever aiokafka and faust log about the connection is checked too.
    run = secure_worker(
        tmp_path_factory, "scram", {**secure_broker.scram_env(), "WIREFEED_LOG_LEVEL": "debug"}
    )
    assert run.settings.profile == "production"
    run.start()
    try:
        run.wait_ready(timeout=90)
        # The test's own clients authenticate with the other SCRAM mechanism.
        check_story_and_dead_letters(run, secure_broker.scram(mechanism="SCRAM-SHA-256"))
        metrics = scrape(run)
        assert b"wirefeed_events_published_total" in metrics
        assert_clean(metrics, "/metrics")
        # The CLI through the same broker, with the password in its environment.
        env = {**run.env, "WIREFEED_LOG_LEVEL": "debug"}
        tail = subprocess.run(
            [sys.executable, "-m", "streams.cli", *"tail --from-beginning --limit 1 --timeout 20".split()],
            env=env,
            cwd=REPO,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert tail.returncode == 0, tail.stderr[-3000:]
        assert HEADLINE.encode() in tail.stdout
        assert_clean(tail.stdout, "the stdout of wirefeed tail")
        assert_clean(tail.stderr, "the stderr of wirefeed tail")
    finally:
        run.stop()
    log = run.log.read_text(errors="replace")
    assert f"Authenticated as {USER} via SCRAM-SHA-512" in log
    assert_clean(log, "the worker log")


def test_wrong_scram_password_is_refused(
    secure_broker: SecureBroker, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = CANARY + "-wrong"
    settings = secure_broker.scram(password=wrong)
    caplog.set_level("DEBUG")

    async def attempt() -> None:
        producer = AIOKafkaProducer(**client_options(settings))
        try:
            await asyncio.wait_for(producer.start(), 30)
        finally:
            await producer.stop()

    with pytest.raises((KafkaError, TimeoutError)) as caught:
        asyncio.run(attempt())
    assert "Authentication failed" in caplog.text
    assert_clean(str(caught.value), "the error")
    assert_clean(caplog.text, "the client log")


def _handshake(port: int, context: ssl.SSLContext, server_hostname: str) -> None:
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as sock,
        context.wrap_socket(sock, server_hostname=server_hostname),
    ):
        pass


def test_tls_verifies_the_broker(secure_broker: SecureBroker) -> None:
    context = ssl_context(secure_broker.scram())
    assert context is not None and context.check_hostname
    for name in ("localhost", "127.0.0.1"):
        _handshake(secure_broker.sasl_ssl_port, context, name)  # names in the certificate
    with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
        _handshake(secure_broker.sasl_ssl_port, context, "kafka.example.invalid")
    untrusted = ssl_context(load_settings(security_protocol="SSL"))  # the system CAs only
    assert untrusted is not None
    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        _handshake(secure_broker.sasl_ssl_port, untrusted, "localhost")


# ------------------------------------------------------------------ mutual TLS


def test_mutual_tls_requires_a_client_certificate(secure_broker: SecureBroker) -> None:
    settings = secure_broker.mtls(client_cert=False, topic_raw=f"it-mtls-{uuid.uuid4().hex[:8]}")

    async def attempt() -> None:
        producer = AIOKafkaProducer(**client_options(settings))
        try:
            await asyncio.wait_for(producer.start(), 30)
        finally:
            await producer.stop()

    with pytest.raises((KafkaError, TimeoutError)):
        asyncio.run(attempt())


def test_worker_through_mutual_tls(
    secure_broker: SecureBroker, tmp_path_factory: pytest.TempPathFactory
) -> None:
    run = secure_worker(tmp_path_factory, "mtls", secure_broker.mtls_env())
    run.start()
    try:
        run.wait_ready(timeout=90)
        check_story_and_dead_letters(run, secure_broker.mtls())
    finally:
        run.stop()
