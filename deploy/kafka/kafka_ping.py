#!/usr/bin/env python3
"""Kafka-level readiness probe (stdlib only).

Sends ApiVersions v0 then Metadata v4 to host:port and succeeds (exit 0) only when the
broker answers both and reports at least one live broker in its metadata, i.e. the
KRaft broker has finished starting and is unfenced.

usage: kafka_ping.py [host] [port] [timeout_s]
"""
import socket
import struct
import sys


def _request(sock, api_key, api_version, corr_id, body=b""):
    client_id = b"wirefeed-ping"
    header = struct.pack(">hhih", api_key, api_version, corr_id, len(client_id)) + client_id
    msg = header + body
    sock.sendall(struct.pack(">i", len(msg)) + msg)
    size = struct.unpack(">i", _recv_exact(sock, 4))[0]
    data = _recv_exact(sock, size)
    if struct.unpack(">i", data[:4])[0] != corr_id:
        raise RuntimeError("correlation id mismatch")
    return data[4:]


def _recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        buf += chunk
    return buf


def ping(host, port, timeout):
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        # ApiVersions v0: error_code int16, [api_key int16, min int16, max int16]
        resp = _request(sock, 18, 0, 1)
        err, n = struct.unpack(">hi", resp[:6])
        if err != 0:
            raise RuntimeError(f"ApiVersions error_code={err}")
        versions = {}
        for i in range(n):
            k, lo, hi = struct.unpack(">hhh", resp[6 + 6 * i: 12 + 6 * i])
            versions[k] = (lo, hi)
        lo, hi = versions.get(3, (0, -1))
        if not lo <= 4 <= hi:
            raise RuntimeError(f"broker does not support Metadata v4 (range {lo}..{hi})")
        # Metadata v4: topics=null (all), allow_auto_topic_creation=false
        resp = _request(sock, 3, 4, 2, struct.pack(">ib", -1, 0))
        _throttle, n_brokers = struct.unpack(">ii", resp[:8])
        if n_brokers < 1:
            raise RuntimeError("metadata lists no live broker yet")
        return n_brokers


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 9092
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    try:
        n = ping(host, port, timeout)
    except Exception as exc:
        print(f"kafka not ready at {host}:{port}: {exc}", file=sys.stderr)
        return 1
    print(f"kafka ready at {host}:{port} ({n} live broker(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
