"""Failed logins slow down, then lock out: per login name and per client address.

A key ("user:lan", "client:203.0.113.7") may fail `free` times within `window` seconds with no
wait. Each failure after that makes the next attempt wait: `base_delay`, then twice as long each
time; from the `lockout_after`-th failure the key is locked for `lockout` seconds. A successful
login clears the keys it used; a key with no failure for `window` seconds starts afresh.
Attempts are refused while a key waits (the password is not even checked), so a script gains
nothing by hammering. The state lives in the server process (a restart forgets it).

Nothing here imports streamlit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """How many failures are free, how the wait grows, when and how long a lockout lasts (seconds)."""

    free: int = 5
    base_delay: float = 15.0
    lockout_after: int = 10
    lockout: float = 15 * 60.0
    window: float = 15 * 60.0

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after `failures` failures in a row (0 while they are free)."""
        if failures >= self.lockout_after:
            return self.lockout
        if failures < self.free:
            return 0.0
        return self.base_delay * 2 ** (failures - self.free)


USER_POLICY = Policy()
# A client address may be an office's shared NAT: more failures are free before it slows down.
CLIENT_POLICY = Policy(free=10, lockout_after=30)


@dataclass(frozen=True)
class Verdict:
    """The state of the keys of an attempt: seconds to wait (0: may try), whether it is a lockout."""

    wait: float
    locked: bool
    failures: int

    @property
    def allowed(self) -> bool:
        """True when the attempt may go ahead."""
        return self.wait <= 0


@dataclass
class _Entry:
    failures: int = 0
    last: float = 0.0


class LoginThrottle:
    """Counts failures per key; thread-safe (every session's script thread shares one)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._entries: dict[str, tuple[_Entry, Policy]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str, now: float) -> tuple[_Entry, Policy] | None:
        found = self._entries.get(key)
        if found is None:
            return None
        entry, policy = found
        if now - entry.last > max(policy.window, policy.wait_after(entry.failures)):
            del self._entries[key]
            return None
        return found

    def _verdict(self, keys: Iterable[tuple[str, Policy]], now: float) -> Verdict:
        wait, locked, failures = 0.0, False, 0
        for key, _ in keys:
            found = self._live(key, now)
            if found is None:
                continue
            entry, policy = found
            left = entry.last + policy.wait_after(entry.failures) - now
            failures = max(failures, entry.failures)
            if left > wait:
                wait, locked = left, entry.failures >= policy.lockout_after
        return Verdict(max(wait, 0.0), locked, failures)

    def check(self, keys: Iterable[tuple[str, Policy]]) -> Verdict:
        """May an attempt with these (key, policy) pairs go ahead now?"""
        with self._lock:
            return self._verdict(list(keys), self.clock())

    def failure(self, keys: Iterable[tuple[str, Policy]]) -> Verdict:
        """Count a failed attempt for every key; the verdict for the next attempt."""
        keys = list(keys)
        with self._lock:
            now = self.clock()
            for key, policy in keys:
                found = self._live(key, now)
                entry = found[0] if found else _Entry()
                entry.failures += 1
                entry.last = now
                self._entries[key] = (entry, policy)
            return self._verdict(keys, now)

    def success(self, keys: Iterable[tuple[str, Policy]]) -> None:
        """A successful login: forget the failures of these keys."""
        with self._lock:
            for key, _ in keys:
                self._entries.pop(key, None)

    def reset(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._entries.clear()


def attempt_keys(name: str, client: str | None) -> list[tuple[str, Policy]]:
    """The keys of one login attempt: its (normalised) name, and its client address when known."""
    keys = [(f"user:{name}", USER_POLICY)]
    if client:
        keys.append((f"client:{client}", CLIENT_POLICY))
    return keys
