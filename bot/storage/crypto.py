"""Encryption of personal data at rest and keyed hashing of identifiers.

One secret (HELPLINE_SECRET_KEY, or a key file generated at first start and
kept outside the database) yields two independent keys through HKDF: one
for Fernet encryption, one for HMAC-SHA256 lookups.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


class Vault:
    """Encrypts and decrypts text, and hashes platform identifiers."""

    def __init__(self, secret: str) -> None:
        material = secret.encode("utf-8")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(material, b"helpline-encrypt")))
        self._hash_key = _derive(material, b"helpline-identifier-hash")
        self._material = material

    def derived_key(self, purpose: str) -> bytes:
        """A key for one purpose (e.g. signing console cookies), independent of the others."""
        return _derive(self._material, f"helpline-{purpose}".encode())

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            return ""

    def hash_id(self, channel: str, platform_id: str) -> str:
        message = f"{channel}:{platform_id}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()


def load_or_create_secret(configured: str | None, key_file: Path) -> str:
    """The configured secret, else the key file's content, created on first start."""
    if configured:
        return configured
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret
