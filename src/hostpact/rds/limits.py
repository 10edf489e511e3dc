"""The per-address query limit that WHOIS and RDAP share (policy 4.7, C27).

A token bucket per client address, per server process: ``settings.RDS_RATE`` queries, refilled
evenly over ``settings.RDS_RATE_WINDOW_SECONDS``. It lives in memory because it is asked on
every query of the hot paths, where a database round trip would cost more than the answer;
a process restart forgives everyone, which is acceptable for abuse throttling. Addresses and
networks in ``settings.RDS_ALLOW`` are never limited (monitoring, the benchmark).
Settings are read on each call so tests can override them.
"""

import ipaddress
import threading
import time

from django.conf import settings

# Buckets of addresses idle for a full window are full again: forgetting them changes nothing.
_SWEEP_EVERY = 10_000

_lock = threading.Lock()
_buckets: dict[str, tuple[float, float]] = {}  # ip -> (tokens, last refill, monotonic s)
_calls = 0
_allow_cache: tuple[tuple[str, ...], tuple] = ((), ())
_exempt_cache: dict[str, bool] = {}  # ip -> in the allow list, for the list of _allow_cache
clock = time.monotonic  # replaced in tests to move time without sleeping


def _networks():
    global _allow_cache
    configured = tuple(settings.RDS_ALLOW)
    if _allow_cache[0] != configured:
        _exempt_cache.clear()
        nets = []
        for entry in configured:
            try:
                nets.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                continue  # a typo in the allow list must not stop the servers
        _allow_cache = (configured, tuple(nets))
    return _allow_cache[1]


def _exempt(ip: str) -> bool:
    nets = _networks()
    if not nets:
        return False
    found = _exempt_cache.get(ip)
    if found is None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        found = any(address in net for net in nets)
        if len(_exempt_cache) > _SWEEP_EVERY:  # bounded: many addresses just parse again
            _exempt_cache.clear()
        _exempt_cache[ip] = found
    return found


def _rates() -> tuple[float, float]:
    capacity = float(max(settings.RDS_RATE, 1))
    return capacity, capacity / max(settings.RDS_RATE_WINDOW_SECONDS, 1)


def _level(ip: str, now: float, capacity: float, per_second: float) -> float:
    tokens, last = _buckets.get(ip, (capacity, now))
    return min(capacity, tokens + (now - last) * per_second)


def _sweep(now: float, capacity: float, per_second: float) -> None:
    for ip in [ip for ip in _buckets if _level(ip, now, capacity, per_second) >= capacity]:
        del _buckets[ip]


def allowed(ip: str) -> bool:
    """Take one query from ``ip``'s bucket: True if it may be answered, False when over."""
    if _exempt(ip):
        return True
    global _calls
    capacity, per_second = _rates()
    with _lock:
        now = clock()
        _calls += 1
        if _calls % _SWEEP_EVERY == 0:
            _sweep(now, capacity, per_second)
        tokens = _level(ip, now, capacity, per_second)
        if tokens < 1:
            _buckets[ip] = (tokens, now)
            return False
        _buckets[ip] = (tokens - 1, now)
        return True


def retry_after(ip: str) -> int:
    """Seconds until ``ip`` may ask again (at least 1)."""
    capacity, per_second = _rates()
    with _lock:
        tokens = _level(ip, clock(), capacity, per_second)
    return max(1, int(-(-(1 - tokens) // per_second)))


def reset() -> None:
    """Forget every bucket (tests)."""
    with _lock:
        _buckets.clear()
