"""Raw HTTP/1.1 over a socket, for what httpx will not do: send headers and only part of
a body, stream a chunked body until the server answers, or send an odd header."""

from __future__ import annotations

import socket
from dataclasses import dataclass

__all__ = ["RawAnswer", "open_request", "read_answer", "stream_chunked"]


@dataclass(frozen=True)
class RawAnswer:
    status: int
    head: str
    body: bytes


def open_request(port: int, path: str, headers: dict[str, str], body: bytes = b"") -> socket.socket:
    """Connect, send the request line, ``headers`` and ``body``; the socket stays open."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    return sock


def read_answer(sock: socket.socket) -> RawAnswer:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    text = head.decode("latin-1")
    length = next(
        (
            int(h.split(":", 1)[1])
            for h in text.split("\r\n")
            if h.lower().startswith("content-length:")
        ),
        0,
    )
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return RawAnswer(int(text.split(" ", 2)[1]), text, rest[:length])


def stream_chunked(port: int, path: str, total: int, chunk: int = 16384) -> tuple[RawAnswer, int]:
    """Send a chunked body of up to ``total`` bytes, stopping once the server answers.
    Returns the answer and how many body bytes were handed to the socket."""
    sock = open_request(
        port, path, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    )
    sent = 0
    sock.settimeout(0.05)
    try:
        while sent < total:
            piece = b"x" * chunk
            try:
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            except OSError:
                break  # the server answered and closed
            sent += len(piece)
            try:
                if sock.recv(1, socket.MSG_PEEK):
                    break
            except (TimeoutError, BlockingIOError):
                continue
        sock.settimeout(10)
        return read_answer(sock), sent
    finally:
        sock.close()
