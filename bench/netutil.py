"""Two socket helpers shared by the benchmarks and the integration tests: a free local port for
a worker's web server or a throwaway broker, and whether a broker answers on an address."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def broker_up(bootstrap: str) -> bool:
    """Whether something accepts TCP connections at ``host:port``."""
    host, port = bootstrap.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False
