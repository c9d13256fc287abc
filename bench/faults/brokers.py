"""Brokers the harness owns: a single KRaft broker through ``deploy/kafka/broker.sh`` (its own
ports and state dir, so the suite's broker on 9092 is never touched) and a three-node KRaft
cluster launched here on the jars of ``broker.sh classpath``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BROKER_SH = REPO / "deploy" / "kafka" / "broker.sh"
PING = REPO / "deploy" / "kafka" / "kafka_ping.py"
SHARED_LIB = REPO / ".local" / "kafka" / "lib"
CLUSTER_ID = "H6gpG4U8T7CXsUSopP-zKw"
HEAP = os.environ.get("WIREFEED_FAULTS_KAFKA_HEAP", "-Xmx384m -Xms384m")


def ping(port: int, timeout: float = 2.0) -> bool:
    done = subprocess.run(
        [sys.executable, str(PING), "127.0.0.1", str(port), str(int(max(1, timeout)))],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _wait_dead(pid: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:  # our own child: reap it
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        time.sleep(0.1)


class ScriptBroker:
    """One broker through deploy/kafka/broker.sh with its own ports and state dir."""

    def __init__(self, state_dir: Path, port: int, controller_port: int) -> None:
        self.state_dir = state_dir
        self.port = port
        self.controller_port = controller_port
        self.ports = [port]

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "WIREFEED_KAFKA_PORT": str(self.port),
            "WIREFEED_KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "WIREFEED_KAFKA_STATE_DIR": str(self.state_dir),
            "WIREFEED_KAFKA_START_TIMEOUT": "120",
            "KAFKA_HEAP": HEAP,
        }

    def start(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        lib = self.state_dir / "lib"
        if not lib.exists() and SHARED_LIB.is_dir():
            lib.symlink_to(SHARED_LIB)  # reuse the jars broker.sh fetched for the main broker
        subprocess.run(["bash", str(BROKER_SH), "start"], env=self._env(), check=True, capture_output=True)

    def pid(self) -> int | None:
        path = self.state_dir / "kafka.pid"
        text = path.read_text().strip() if path.exists() else ""
        return int(text) if text.isdigit() else None

    def kill(self, node: int = 0) -> None:
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _wait_dead(pid)

    def restart(self, node: int = 0) -> None:
        self.start()

    def stop(self) -> None:
        subprocess.run(["bash", str(BROKER_SH), "stop"], env=self._env(), check=False, capture_output=True)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.state_dir / "data", ignore_errors=True)


class Cluster:
    """Three combined broker+controller KRaft nodes on loopback, replication 3, min ISR 2."""

    def __init__(self, state_dir: Path, ports: list[int], controller_ports: list[int]) -> None:
        self.state_dir = state_dir
        self.ports = ports
        self.controller_ports = controller_ports
        self.procs: dict[int, subprocess.Popen[bytes]] = {}

    @property
    def bootstrap(self) -> str:
        return ",".join(f"127.0.0.1:{p}" for p in self.ports)

    def _classpath(self) -> str:
        done = subprocess.run(
            ["bash", str(BROKER_SH), "classpath"], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def _conf(self, node: int) -> Path:
        voters = ",".join(f"{i + 1}@127.0.0.1:{p}" for i, p in enumerate(self.controller_ports))
        data = self.state_dir / f"node{node + 1}" / "data"
        conf = self.state_dir / f"node{node + 1}" / "server.properties"
        data.mkdir(parents=True, exist_ok=True)
        port, cport = self.ports[node], self.controller_ports[node]
        conf.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    f"node.id={node + 1}",
                    f"controller.quorum.voters={voters}",
                    "controller.listener.names=CONTROLLER",
                    f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{cport}",
                    f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    f"log.dirs={data}",
                    "num.partitions=3",
                    "default.replication.factor=3",
                    "min.insync.replicas=2",
                    "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=3",
                    "offsets.topic.num.partitions=6",
                    "transaction.state.log.replication.factor=3",
                    "transaction.state.log.min.isr=2",
                    "share.coordinator.state.topic.replication.factor=3",
                    "share.coordinator.state.topic.min.isr=2",
                    "group.initial.rebalance.delay.ms=0",
                    "num.network.threads=2",
                    "num.io.threads=2",
                    "num.recovery.threads.per.data.dir=1",
                    "log.retention.hours=24",
                    "",
                ]
            )
        )
        return conf

    def _java(self) -> list[str]:
        log_dir = self.state_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        return [
            os.environ.get("JAVA", "java"),
            *HEAP.split(),
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={log_dir}",
            f"-Dlog4j2.configurationFile={REPO / 'deploy' / 'kafka' / 'log4j2.properties'}",
            "-cp",
            self._cp,
        ]

    def start(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._cp = self._classpath()
        for node in range(len(self.ports)):
            conf = self._conf(node)
            if not (conf.parent / "data" / "meta.properties").exists():
                subprocess.run(
                    [
                        *self._java(),
                        "kafka.tools.StorageTool",
                        "format",
                        "--config",
                        str(conf),
                        "--cluster-id",
                        CLUSTER_ID,
                        "--ignore-formatted",
                    ],
                    check=True,
                    capture_output=True,
                )
        for node in range(len(self.ports)):
            self._launch(node)
        for node in range(len(self.ports)):
            self._wait(node)

    def _launch(self, node: int) -> None:
        conf = self.state_dir / f"node{node + 1}" / "server.properties"
        out = (self.state_dir / f"node{node + 1}" / "kafka.out").open("ab")
        self.procs[node] = subprocess.Popen(
            [*self._java(), "kafka.Kafka", str(conf)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _wait(self, node: int, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.procs[node].poll() is not None:
                raise RuntimeError(f"broker node {node + 1} exited with {self.procs[node].returncode}")
            if ping(self.ports[node]):
                return
            time.sleep(0.5)
        raise RuntimeError(f"broker node {node + 1} not ready after {timeout}s")

    def kill(self, node: int = 1) -> None:
        proc = self.procs.get(node)
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()

    def restart(self, node: int = 1) -> None:
        self._launch(node)
        self._wait(node)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def destroy(self) -> None:
        self.stop()
        for node in range(len(self.ports)):
            shutil.rmtree(self.state_dir / f"node{node + 1}" / "data", ignore_errors=True)
