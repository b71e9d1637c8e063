"""Password logins that outlast a reload: a signed, expiring session token for a cookie, revocable.

After a password login the dashboard asks `SessionStore.issue` for a token and keeps it in a
cookie; on a later visit (a reload, a typed URL, a new tab) `SessionStore.resolve` turns the
cookie back into the `User`, looked up again in the users file. A token is good until it expires
(`max_age`, default 12 hours, `$DVK_SESSION_HOURS`), until the user logs out (`revoke`), until the
user is removed from the users file, or until their password hash changes.

The token is signed with itsdangerous (HMAC-SHA1 over the payload and a timestamp, keyed by a
secret that never enters git: `$DVK_SESSION_SECRET`, else a random key generated at first use into
`<users file stem>.session-key` beside the users file, mode 0600). Its payload is readable, so it
holds only the login name, a random session id and an HMAC fingerprint of the password hash.
Session ids live server-side in `<users file stem>.sessions.sqlite` (mode 0600): a token whose id
is not there (logged out, expired, pruned) is refused even with a valid signature.

Nothing here imports streamlit.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from queries.auth import User

ENV_SECRET = "DVK_SESSION_SECRET"
ENV_HOURS = "DVK_SESSION_HOURS"
DEFAULT_HOURS = 12.0
COOKIE_NAME = "dvk_session"
MIN_SECRET_LENGTH = 32
_SALT = "dvk-password-session"


def session_hours() -> float:
    """How long a session lasts: $DVK_SESSION_HOURS (a positive number), else 12."""
    try:
        hours = float(os.environ.get(ENV_HOURS, DEFAULT_HOURS))
    except ValueError:
        return DEFAULT_HOURS
    return hours if 0 < hours <= 24 * 90 else DEFAULT_HOURS


def secret_path(users_path: str | os.PathLike) -> Path:
    """Where the generated signing key lives: beside the users file (git-ignored)."""
    users_path = Path(users_path)
    return users_path.with_name(f"{users_path.stem}.session-key")


def store_path(users_path: str | os.PathLike) -> Path:
    """Where the server-side session ids live: beside the users file (git-ignored)."""
    users_path = Path(users_path)
    return users_path.with_name(f"{users_path.stem}.sessions.sqlite")


def load_secret(users_path: str | os.PathLike) -> str:
    """The signing key: $DVK_SESSION_SECRET, else the key file, created (mode 0600) when missing."""
    from_env = os.environ.get(ENV_SECRET, "")
    if from_env:
        if len(from_env) < MIN_SECRET_LENGTH:
            raise ValueError(f"${ENV_SECRET} must be at least {MIN_SECRET_LENGTH} characters long")
        return from_env
    path = secret_path(users_path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"{path}: the session key is too short; delete the file to make a new one"
            ) from None
        return key
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


class SessionStore:
    """Issue, resolve and revoke session tokens for one users file."""

    def __init__(
        self,
        users_path: str | os.PathLike,
        *,
        max_age_seconds: float | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.users_path = Path(users_path)
        self.secret = load_secret(self.users_path)
        self.max_age = float(max_age_seconds if max_age_seconds is not None else session_hours() * 3600)
        self.clock = clock
        self.path = store_path(self.users_path)
        self._serializer = URLSafeTimedSerializer(self.secret, salt=_SALT)

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        fresh = not self.path.exists()
        if fresh:  # created 0600 before sqlite writes anything into it
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.execute(
                "create table if not exists sessions "
                "(sid text primary key, user text not null, expires real not null)"
            )
            yield con
        finally:
            con.close()

    def _fingerprint(self, user: User) -> str:
        digest = hmac.new(self.secret.encode(), user.password_hash.encode(), hashlib.sha256)
        return digest.hexdigest()[:20]

    def issue(self, user: User) -> str:
        """A new session for `user` (recorded server-side) and its signed token."""
        sid = secrets.token_urlsafe(18)
        now = self.clock()
        with self._db() as con:
            con.execute("delete from sessions where expires <= ?", (now,))
            con.execute("insert into sessions values (?, ?, ?)", (sid, user.name, now + self.max_age))
        return self._serializer.dumps({"u": user.name, "s": sid, "h": self._fingerprint(user)})

    def _payload(self, token: str) -> dict | None:
        if not token or len(token) > 1024:
            return None
        try:
            payload, signed_at = self._serializer.loads(token, return_timestamp=True)
        except BadSignature:  # tampered, signed with another key, or malformed
            return None
        if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in "ush"):
            return None
        age = self.clock() - signed_at.timestamp()
        if age > self.max_age or age < -60:  # expired, or from the future beyond clock skew
            return None
        return payload

    def resolve(self, token: str | None, users: Mapping[str, User]) -> User | None:
        """The user of a valid, live session token; None for anything else."""
        payload = self._payload(token or "")
        if payload is None:
            return None
        with self._db() as con:
            row = con.execute("select user, expires from sessions where sid = ?", (payload["s"],)).fetchone()
        if row is None or row[0] != payload["u"] or row[1] <= self.clock():
            return None
        user = users.get(payload["u"])
        if user is None or not hmac.compare_digest(self._fingerprint(user), payload["h"]):
            return None  # removed from the users file, or the password changed
        return user

    def session_id(self, token: str | None) -> str | None:
        """The session id of a correctly signed token (expired or not), else None."""
        try:
            payload = self._serializer.loads(token or "")
        except BadSignature:
            return None
        return payload.get("s") if isinstance(payload, dict) and isinstance(payload.get("s"), str) else None

    def revoke(self, sid: str | None) -> None:
        """End a session server-side (logout): its token is refused from now on."""
        if not sid:
            return
        with self._db() as con:
            con.execute("delete from sessions where sid = ?", (sid,))

    def is_live(self, sid: str) -> bool:
        """True while the session id is recorded and unexpired (checked on every run)."""
        with self._db() as con:
            row = con.execute("select expires from sessions where sid = ?", (sid,)).fetchone()
        return row is not None and row[0] > self.clock()
