"""Configuration, read once from the environment into a frozen object.

Every key is ``WIREFEED_<NAME>``. A bad value fails at start-up with the key's name, never
later in the middle of a stream. Secrets are ``SecretStr``: they print as ``**********``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.linking.linker import LinkerConfig


class SettingsError(Exception):
    """A configuration value is missing or invalid; the message names the environment key."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WIREFEED_", frozen=True, extra="ignore")

    app_id: str = "wirefeed"
    broker: str = Field(default="kafka://127.0.0.1:9092", description="Faust broker URL(s).")
    topic_raw: str = "wire.raw"
    topic_items: str = "wire.items"
    topic_dlq: str = "wire.dlq"
    topic_events: str = "stories.events"
    topic_current: str = "stories.current"
    partitions: int = Field(default=6, ge=1, le=1024)
    replication: int = Field(default=1, ge=1, le=7)
    store: str = Field(default="rocksdb://", description="Faust table store: rocksdb:// or memory://.")
    data_dir: Path = Path(".local/worker")
    # Per RocksDB database (one per table partition: 2 tables x partitions of them).
    rocksdb_block_cache_mb: int = Field(default=16, ge=1, le=4096)
    rocksdb_write_buffer_mb: int = Field(default=8, ge=1, le=1024)
    max_message_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    ninjs_version: Literal["2.1", "3.1"] = "2.1"
    link_window_hours: float = Field(default=72.0, gt=0)
    link_join_threshold: float = Field(default=0.35, ge=0, le=2)
    link_duplicate_threshold: float = Field(default=0.60, ge=0, le=2)
    # "sharded": any worker parses a raw message and forwards its items through wire.items, keyed
    # by linking shard, to the worker that owns the shard and links them: any number of workers.
    # "single": one worker parses and links in one step, without that hop (a JSON encoding, a
    # produce, a fetch and a decoding per item). Story state goes to the same table partitions in
    # both, so a deployment can switch. Only for exactly one worker: with more, each would link the
    # stories of its own raw partitions against its own state.
    topology: Literal["sharded", "single"] = "sharded"
    # Agents take what has arrived in batches and wait for one acknowledgement per batch. The
    # wait for a batch to fill bounds the latency it may add when input is sparse; it also sets
    # how small batches get under moderate load. One worker at 500 msg/s: p99 1.07 s at 1 ms
    # (batches too small to keep up), 135-195 ms at 5 ms, 197-218 ms at 10 ms; at 100 msg/s p99
    # 10.5, 18.5 and 27 ms.
    batch_max: int = Field(default=64, ge=1, le=10_000)
    batch_wait_ms: float = Field(default=5.0, ge=0.5, le=1000)
    web_port: int = Field(default=6066, ge=1, le=65535)
    web_host: str = "127.0.0.1"
    log_level: str = "warning"
    # Consumer group liveness. After a crash (SIGKILL, OOM, lost host) the group waits one session
    # timeout before it hands the dead member's partitions to anyone: the floor of every takeover.
    # Heartbeats come from Faust's consumer thread, so busy agents do not delay them; 10 s is 10
    # heartbeats at 1 s. Kafka's brokers refuse less than group.min.session.timeout.ms (6 s).
    session_timeout: float = Field(default=10.0, ge=1, le=60, description="Seconds.")
    heartbeat_interval: float = Field(default=1.0, gt=0, le=20, description="Seconds.")
    # Warm copies of each table partition on other workers (Faust's table_standby_replicas): a
    # worker taking over a partition it has a standby for replays only the changelog's tail.
    standby_replicas: int = Field(default=1, ge=0, le=7)
    # Static group membership (Kafka's group.instance.id): a worker that comes back under the same
    # id, a restart or a replacement with the same name such as a StatefulSet pod, takes its
    # place in the group at once instead of after the dead member's session timeout. Unique per
    # running worker; unset, membership is dynamic.
    group_instance_id: str | None = Field(default=None, min_length=1, max_length=249)
    # Largest fetch per partition (never below max_record_bytes). A table restore reads whole
    # changelogs: aiokafka sends no new fetch to a broker while one is in flight, and Faust's
    # fetches wait up to 1.5 s on partitions without data, so every fetch cycle can stall that
    # long; 16 MiB instead of 5 MiB took a 100,000-story restore from 30-45 s to about 24 s.
    consumer_fetch_mb: int = Field(default=16, ge=1, le=256)
    # How long the broker may hold a fetch that finds no new records (Faust fixes 1.5 s). aiokafka
    # has one fetch in flight per broker and leaves out of it the partitions whose records are
    # still being handed out: a record arriving on one of those meanwhile waits until the fetch
    # over the quiet ones returns. This bounds that wait, for more empty fetches when idle.
    consumer_fetch_wait_ms: int = Field(default=25, ge=5, le=5000)
    profile: Literal["dev", "production"] = "dev"
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    ssl_check_hostname: bool = True

    def linker_config(self) -> LinkerConfig:
        return LinkerConfig(
            window_hours=self.link_window_hours,
            join_threshold=self.link_join_threshold,
            duplicate_threshold=self.link_duplicate_threshold,
        )

    @property
    def max_record_bytes(self) -> int:
        """Largest record wirefeed's topics and producers accept: room for a message over the input
        cap (it must still reach the dead-letter topic whole) and for its parsed JSON forms."""
        return 2 * self.max_message_bytes + 1024 * 1024

    @property
    def consumer_fetch_bytes(self) -> int:
        """Faust's ``consumer_max_fetch_size`` (per partition): at least one record of the largest size."""
        return max(self.consumer_fetch_mb * 1024 * 1024, self.max_record_bytes)

    @property
    def bootstrap_servers(self) -> str:
        """The broker URL as plain host:port list for aiokafka clients."""
        return ",".join(part.split("://", 1)[-1] for part in self.broker.split(";"))


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment (plus explicit overrides); raises ``SettingsError``."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = "WIREFEED_" + "_".join(str(p) for p in error["loc"]).upper()
            problems.append(f"{key}: {error['msg']}")
        raise SettingsError("; ".join(problems)) from None
    problems = _policy_problems(settings)
    if problems:
        raise SettingsError("; ".join(problems))
    return settings


def _policy_problems(settings: Settings) -> list[str]:
    """Rules across keys: the production profile's transport policy, SASL credentials, TLS files.
    Every broken key is named, not only the first."""
    problems = []
    if settings.heartbeat_interval * 3 > settings.session_timeout:
        problems.append(
            "WIREFEED_HEARTBEAT_INTERVAL: must be at most a third of WIREFEED_SESSION_TIMEOUT "
            f"({settings.session_timeout:g} s), or one late heartbeat drops a live worker"
        )
    tls = settings.security_protocol in ("SSL", "SASL_SSL")
    if settings.profile == "production":
        if not tls:
            problems.append(
                "WIREFEED_SECURITY_PROTOCOL: the production profile refuses plaintext transport "
                "(use SSL or SASL_SSL)"
            )
        if not settings.ssl_check_hostname:
            problems.append(
                "WIREFEED_SSL_CHECK_HOSTNAME: the production profile requires hostname verification"
            )
    if settings.security_protocol.startswith("SASL"):
        if not settings.sasl_username:
            problems.append("WIREFEED_SASL_USERNAME: required for SASL")
        if settings.sasl_password is None or not settings.sasl_password.get_secret_value():
            problems.append("WIREFEED_SASL_PASSWORD: required for SASL")
    if tls:
        if settings.ssl_keyfile is not None and settings.ssl_certfile is None:
            problems.append("WIREFEED_SSL_KEYFILE: set without WIREFEED_SSL_CERTFILE")
        for key, path in (
            ("WIREFEED_SSL_CAFILE", settings.ssl_cafile),
            ("WIREFEED_SSL_CERTFILE", settings.ssl_certfile),
            ("WIREFEED_SSL_KEYFILE", settings.ssl_keyfile),
        ):
            if path is not None and not path.is_file():
                problems.append(f"{key}: no such file: {path}")
    return problems
