"""Encryption of personal data at rest and keyed hashing of identifiers.

One secret (HELPLINE_SECRET_KEY, or a key file generated at first start and
kept outside the database) yields two independent keys through HKDF: one
for Fernet encryption, one for HMAC-SHA256 lookups.

Key rotation (`helpline privacy rotate-key`, bot/privacy/keys.py): the current
secret encrypts and hashes; previous secrets (HELPLINE_PREVIOUS_SECRET_KEYS,
or the key file's later lines) are still read, and lookups try their hashes
too, until every value has been re-encrypted and re-hashed under the current one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


def _fernet(secret: str) -> Fernet:
    key = _derive(secret.encode("utf-8"), b"helpline-encrypt")
    return Fernet(base64.urlsafe_b64encode(key))


class Vault:
    """Encrypts and decrypts text, and hashes platform identifiers."""

    def __init__(self, secret: str, previous: Sequence[str] = ()) -> None:
        olders = [p for p in previous if p and p != secret]
        self._material = secret.encode("utf-8")
        self._current = _fernet(secret)
        self._fernet = MultiFernet([self._current, *(_fernet(p) for p in olders)])
        self._hash_keys = [
            _derive(s.encode("utf-8"), b"helpline-identifier-hash") for s in (secret, *olders)
        ]

    def derived_key(self, purpose: str) -> bytes:
        """A key for one purpose (e.g. signing console cookies), from the current secret."""
        return _derive(self._material, f"helpline-{purpose}".encode())

    def encrypt(self, text: str) -> str:
        return self._current.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self.decrypt_strict(token)
        except InvalidToken:
            return ""

    def decrypt_strict(self, token: str) -> str:
        """Like `decrypt`, but a token no configured key opens raises `InvalidToken`."""
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def is_current(self, token: str) -> bool:
        """Whether the current key alone opens the token (nothing to rotate)."""
        try:
            self._current.decrypt(token.encode("ascii"))
        except InvalidToken:
            return False
        return True

    def hash_id(self, channel: str, platform_id: str) -> str:
        return self._hash(self._hash_keys[0], channel, platform_id)

    def hash_ids(self, channel: str, platform_id: str) -> list[str]:
        """The id's hash under the current key, then under each previous one (lookups)."""
        return [self._hash(key, channel, platform_id) for key in self._hash_keys]

    @staticmethod
    def _hash(key: bytes, channel: str, platform_id: str) -> str:
        message = f"{channel}:{platform_id}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()


def load_secrets(
    configured: str | None, previous: str | None, key_file: Path
) -> tuple[str, list[str]]:
    """The current secret and the previous ones still read.

    The configured secret (HELPLINE_SECRET_KEY) and HELPLINE_PREVIOUS_SECRET_KEYS
    (comma-separated) win; otherwise the key file: its first line is the current
    secret, any further lines previous ones. The file is created on first start.
    """
    olders = [p.strip() for p in (previous or "").split(",") if p.strip()]
    if configured:
        return configured, olders
    if key_file.exists():
        lines = [
            line.strip()
            for line in key_file.read_text(encoding="ascii").splitlines()
            if line.strip()
        ]
        return lines[0], [*olders, *lines[1:]]
    key_file.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret, olders
