"""/healthz latency while 20 MB bodies are posted to ``/feishu/events`` and refused.

    .venv/bin/python benchmarks/body_limit.py [--senders 4] [--seconds 10] [--probes 200]

The bot (``create_app`` with the production registry, SQLite, one uvicorn process on
loopback) runs in its own process; so does the flood, where ``--senders`` threads each
post 20 MB bodies in a loop (declared Content-Length, the body written as far as the
server lets it); the bot answers 413 from the Content-Length alone and closes the
connection. Meanwhile a probe in this process GETs /healthz every 50 ms and records its
latency. The same probe first runs with no flood, as the baseline. Figures go to stdout
as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
TWENTY_MB = 20 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_bot(port: int) -> None:
    sys.path.insert(0, str(REPO))
    import uvicorn

    from bot.app import create_app
    from config.settings import load_settings

    app = create_app(load_settings())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def start_bot(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port, dead = free_port(), free_port()
    env = {
        **os.environ,
        "FEISHU_APP_ID": "cli_bench_body",
        "FEISHU_APP_SECRET": "bench-secret",
        "FEISHU_VERIFICATION_TOKEN": "bench-token",
        "FEISHU_ENCRYPT_KEY": "bench-encrypt-key",
        "FEISHU_DOMAIN": f"http://127.0.0.1:{dead}",
        "CLOUDOPS_DATA_DIR": str(tmp),
    }
    command = [sys.executable, __file__, "--role", "bot", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the bot did not start")


def probe(url: str, seconds: float, every: float = 0.05) -> list[float]:
    latencies = []
    with httpx.Client(timeout=10) as client:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            client.get(f"{url}/healthz").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(every)
    return latencies


def flood(url: str, stop: threading.Event, counts: dict[str, int]) -> None:
    body = b"{" + b" " * (TWENTY_MB - 1)
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            try:
                status = client.post(f"{url}/feishu/events", content=body).status_code
                counts[str(status)] = counts.get(str(status), 0) + 1
            except httpx.TransportError:
                counts["closed"] = counts.get("closed", 0) + 1


def run_flood(url: str, senders: int, seconds: float) -> None:
    stop, counts = threading.Event(), {}  # type: ignore[var-annotated]
    threads = [
        threading.Thread(target=flood, args=(url, stop, counts), daemon=True)
        for _ in range(senders)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(60)
    print(counts)


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"| {name} | {len(values)} | {statistics.median(values):.1f} | {p99:.1f} "
        f"| {ordered[-1]:.1f} |"
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--role", choices=["bench", "bot", "flood"], default="bench")
    parser.add_argument("--url", default="")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    if args.role == "bot":
        serve_bot(args.port)
        return
    if args.role == "flood":
        run_flood(args.url, args.senders, args.seconds)
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_bot(Path(tmp))
        try:
            probe(url, 1)  # warm up
            baseline = probe(url, args.seconds)
            rss_before = rss_mb(process.pid)
            flooder = subprocess.Popen(
                [sys.executable, __file__, "--role", "flood", "--url", url,
                 "--senders", str(args.senders), "--seconds", str(args.seconds + 2)],
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            time.sleep(1)  # let the flood get going
            flooded = probe(url, args.seconds)
            rss_after = rss_mb(process.pid)
            counts = flooder.communicate(timeout=120)[0].strip()
        finally:
            process.terminate()
            process.wait(20)
    print(f"{args.senders} senders of 20 MB bodies, {args.seconds:g} s per phase")
    print("| /healthz | probes | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    print(summary("no flood", baseline))
    print(summary("20 MB posts refused", flooded))
    print(f"posts answered: {counts}; bot RSS {rss_before:.0f} MB -> {rss_after:.0f} MB")


if __name__ == "__main__":
    main()
