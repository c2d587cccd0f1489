"""Feishu's event encryption and signature, for the sending side (the SDK only decrypts)."""

from __future__ import annotations

import base64
import hashlib
import os

from Crypto.Cipher import AES  # pycryptodome, lark-oapi's own crypto dependency

__all__ = ["encrypt", "sign"]


def encrypt(plaintext: bytes, encrypt_key: str) -> str:
    """AES-256-CBC with key sha256(encrypt_key), PKCS7, wire form base64(iv + ciphertext)."""
    key = hashlib.sha256(encrypt_key.encode()).digest()
    iv = os.urandom(16)
    pad = 16 - len(plaintext) % 16
    cipher = AES.new(key, AES.MODE_CBC, iv)
    return base64.b64encode(iv + cipher.encrypt(plaintext + bytes([pad]) * pad)).decode()


def sign(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode() + body).hexdigest()
