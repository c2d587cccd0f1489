"""Fixtures for the knowledge tests: tiny PDF writer, a fake embeddings endpoint.

openai 3.x sends requests with httpx2, which respx (an httpx mock) cannot intercept, so
the embeddings endpoint is a real loopback HTTP server and the real client talks to it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from knowledge.embedding.openai_endpoint import OpenAIEmbedder

DIMENSIONS = 64
# Words the fake model treats as one meaning, so dense retrieval can find what BM25 cannot.
SYNONYMS = {"automobile": "car", "vehicle": "car", "motorcar": "car"}


def write_pdf(path: Path, pages: list[str], title: str | None = None) -> Path:
    """A minimal valid PDF with one line of Helvetica text per page."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{n} 0 R" for n in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for n, text in zip(page_ids, pages, strict=True):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {n + 1} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = len(objects) + 1
    objects.append(f"<< /Title ({title}) >>".encode() if title else b"<< >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, info)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def fake_vector(text: str) -> list[float]:
    """Deterministic hashed bag of lower-cased words, synonyms folded together."""
    vector = np.zeros(DIMENSIONS)
    for word in "".join(c if c.isalnum() else " " for c in text.lower()).split():
        word = SYNONYMS.get(word, word)
        vector[int(hashlib.sha256(word.encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
    return vector.tolist()


class _EmbeddingsHandler(BaseHTTPRequestHandler):
    """``POST /v1/embeddings`` in the OpenAI wire format; every request is recorded."""

    calls: list[dict[str, Any]]

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append(
            {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            }
        )
        if self.path != "/v1/embeddings":
            self.send_error(404)
            return
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [
            {"object": "embedding", "index": i, "embedding": fake_vector(text)}
            for i, text in enumerate(inputs)
        ]
        usage = {"prompt_tokens": 1, "total_tokens": 1}
        payload = json.dumps(
            {"object": "list", "data": data, "model": body["model"], "usage": usage}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


@dataclass
class EmbeddingsAPI:
    base_url: str
    calls: list[dict[str, Any]]


@pytest.fixture
def pdf_writer() -> Callable[..., Path]:
    return write_pdf


@pytest.fixture
def embeddings_api() -> Iterator[EmbeddingsAPI]:
    """A loopback OpenAI-compatible embeddings server (the real openai client talks to it)."""
    calls: list[dict[str, Any]] = []
    handler = type("Handler", (_EmbeddingsHandler,), {"calls": calls})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield EmbeddingsAPI(f"http://127.0.0.1:{server.server_port}/v1", calls)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def openai_embedder(embeddings_api: EmbeddingsAPI) -> OpenAIEmbedder:
    return OpenAIEmbedder(embeddings_api.base_url, "fake-embed-1", api_key="sk-test", batch_size=4)
