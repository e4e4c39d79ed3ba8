"""Is the centre reachable again? A TCP connect, not a sync.

While a counter is offline its sync waits out a backoff of up to ten minutes; a clerk whose link
came back should not wait that long for the queue to drain. Opening a TCP connection to the
server costs one round trip and no request bytes, so the app can ask often and start a real sync
the moment it succeeds.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def server_reachable(url: str, timeout: float = 5.0) -> bool:
    parts = urlsplit(url)
    if parts.hostname is None or parts.scheme not in DEFAULT_PORTS:
        return False
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:  # a port that is not a number
        return False
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False
