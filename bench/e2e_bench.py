"""End-to-end benchmark: closed-loop users talk to `helpline serve` through Telegram webhooks.

Each of C users (default 10) is a private chat. A user posts an Update to
`POST /webhooks/telegram` (with the secret header), waits until the reply reaches
the fake Bot API on loopback (tests/fakes/telegram_api.py, in this process), then
sends the next one. Measured over `--seconds` after a warm-up:

- messages/s: user messages answered per second (each answer is one sendMessage);
- reply latency p50/p99: from starting the webhook POST to the reply's arrival at the fake;
- webhook latency p50/p99: the POST until its 200;
- RSS of the serve process (VmRSS now, VmHWM peak) and the time from spawning it to the
  first 200 on /healthz ("start to serving").

Pacing (Telegram's 1 message/s per chat, 30/s per bot) is switched off by default: the
target is the service's own speed, above Telegram's 30/s. `--pacing` keeps it on.

    .venv/bin/python bench/e2e_bench.py                  # SQLite and PostgreSQL
    .venv/bin/python bench/e2e_bench.py --db sqlite --users 10 --seconds 20

PostgreSQL runs on a throwaway database (created and dropped) on 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.nlu.model_store import load_or_train  # noqa: E402
from tests.delivery.support import postgres_database  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from tests.live import free_port  # noqa: E402

HELPLINE = ROOT / ".venv" / "bin" / "helpline"
WEBHOOK_SECRET = "bench-secret-0123456789"
WARM_UP = "hello"
MESSAGE = "thank you"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Replies:
    """Counts sendMessage calls per chat as they reach the fake, and wakes the waiting user."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.counts: dict[str, int] = {}
        self.arrived: dict[str, float] = {}
        self.events: dict[str, asyncio.Event] = {}
        self._seen = 0

    async def follow(self) -> None:
        while True:
            with self.fake._lock:  # the fake's call list only grows; read the new tail
                new = self.fake._state.calls[self._seen :]
                self._seen += len(new)
            now = time.perf_counter()
            for call in new:
                if call.method.lower() == "sendmessage":
                    chat = str(call.params.get("chat_id"))
                    self.counts[chat] = self.counts.get(chat, 0) + 1
                    self.arrived[chat] = now
                    event = self.events.get(chat)
                    if event is not None:
                        event.set()
            await asyncio.sleep(0.0005)

    async def wait(self, chat: str, count: int, timeout: float = 30.0) -> float:
        """Wait until the chat has `count` replies; return when the last one arrived."""
        event = self.events.setdefault(chat, asyncio.Event())
        deadline = time.perf_counter() + timeout
        while self.counts.get(chat, 0) < count:
            event.clear()
            if self.counts.get(chat, 0) >= count:
                break
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no reply for chat after {timeout} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return self.arrived[chat]


@dataclass
class Figures:
    replies: list[float] = field(default_factory=list)
    webhooks: list[float] = field(default_factory=list)
    errors: int = 0
    total: int = 0  # every message answered, warm-up included (for CPU per message)


async def user(
    index: int,
    url: str,
    fake: FakeTelegram,
    replies: Replies,
    client: httpx.AsyncClient,
    measure_from: float,
    stop_at: float,
    figures: Figures,
) -> None:
    chat_id = 7_000_000 + index
    chat = str(chat_id)
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}

    async def post(text: str) -> None:
        response = await client.post(url, json=fake.message_update(chat_id, text), headers=headers)
        if response.status_code != 200:
            figures.errors += 1

    await post(WARM_UP)  # language, greeting and menu: several replies
    await replies.wait(chat, 1)
    await asyncio.sleep(1.0)
    expected = replies.counts.get(chat, 0)
    while time.perf_counter() < stop_at:
        started = time.perf_counter()
        await post(MESSAGE)
        posted = time.perf_counter()
        expected += 1
        arrived = await replies.wait(chat, expected)
        expected = max(expected, replies.counts.get(chat, 0))
        figures.total += 1
        if started >= measure_from:
            figures.replies.append(arrived - started)
            figures.webhooks.append(posted - started)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_one(
    database_url: str, label: str, args: argparse.Namespace, model: tuple[Path, Path]
) -> dict[str, str]:
    data_dir, model_path = model
    with FakeTelegram() as fake, tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("HELPLINE_", "TELEGRAM_", "TWILIO_"))
        }
        env.update(
            HELPLINE_DATABASE_URL=database_url,
            HELPLINE_SECRET_KEY="bench-secret-key-not-for-production",
            HELPLINE_NLU__DATA_DIR=str(data_dir),
            HELPLINE_NLU__MODEL_PATH=str(model_path),
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_API_BASE_URL=fake.base_url,
            TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
            # Closed-loop users write faster than people can (rate_limits would answer 429),
            # and results stay comparable with runs from before the first-contact notice.
            HELPLINE_RATE_LIMITS__ENABLED="false",
            HELPLINE_PRIVACY__FIRST_CONTACT_NOTICE="false",
        )
        if not args.pacing:
            env.update(
                HELPLINE_DELIVERY__PER_CHAT_PER_SECOND="0",
                HELPLINE_DELIVERY__PER_BOT_PER_SECOND="0",
            )
        log = open(Path(tmp) / "serve.log", "wb")  # noqa: SIM115 (closed in the finally below)
        spawned = time.perf_counter()
        process = subprocess.Popen(
            [str(HELPLINE), "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            while True:
                if process.poll() is not None or time.perf_counter() - spawned > 300:
                    raise RuntimeError((Path(tmp) / "serve.log").read_text()[-3000:])
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.02)
            start_to_serving = time.perf_counter() - spawned
            cpu_before, own_before = cpu_seconds(process.pid), time.process_time()
            figures = asyncio.run(drive(base, fake, args))
            serve_cpu = cpu_seconds(process.pid) - cpu_before
            bench_cpu = time.process_time() - own_before
            rss, peak = rss_mb(process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
    count = len(figures.replies)
    return {
        "database": label,
        "users": str(args.users),
        "messages/s": f"{count / args.seconds:.1f}",
        "reply p50 ms": f"{percentile(figures.replies, 0.5) * 1000:.1f}",
        "reply p99 ms": f"{percentile(figures.replies, 0.99) * 1000:.1f}",
        "webhook p50 ms": f"{percentile(figures.webhooks, 0.5) * 1000:.1f}",
        "webhook p99 ms": f"{percentile(figures.webhooks, 0.99) * 1000:.1f}",
        "RSS MB (peak)": f"{rss:.0f} ({peak:.0f})",
        "start to serving s": f"{start_to_serving:.2f}",
        "serve CPU ms/msg": f"{serve_cpu * 1000 / max(1, figures.total):.1f}",
        "bench CPU ms/msg": f"{bench_cpu * 1000 / max(1, figures.total):.1f}",
        "errors": str(figures.errors),
        "answered": str(count),
    }


async def drive(base: str, fake: FakeTelegram, args: argparse.Namespace) -> Figures:
    replies = Replies(fake)
    follower = asyncio.create_task(replies.follow())
    figures = Figures()
    limits = httpx.Limits(max_connections=args.users * 2, max_keepalive_connections=args.users * 2)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        now = time.perf_counter()
        measure_from = now + args.warmup
        stop_at = measure_from + args.seconds
        await asyncio.gather(
            *(
                user(
                    i,
                    f"{base}/webhooks/telegram",
                    fake,
                    replies,
                    client,
                    measure_from,
                    stop_at,
                    figures,
                )
                for i in range(args.users)
            )
        )
    follower.cancel()
    return figures


def table(rows: list[dict[str, str]]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row[key] for key in header) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds not measured first")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pacing", action="store_true", help="keep Telegram's pacing on")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "nlu"
        shutil.copytree(ROOT / "nlu", data_dir)  # a snapshot: edits meanwhile do not matter
        model = (data_dir, Path(tmp) / "nlu.pkl")
        load_or_train(*model)
        rows = []
        if args.db in ("sqlite", "both"):
            rows.append(run_one(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", args, model))
        if args.db in ("postgresql", "both"):
            with postgres_database() as url:
                rows.append(run_one(url, "PostgreSQL", args, model))
    print(table(rows))
    print(
        f"\n{os.cpu_count()} CPUs; {args.users} closed-loop users; {args.seconds:.0f} s measured "
        f"after {args.warmup:.0f} s warm-up; pacing {'on' if args.pacing else 'off'}."
    )


if __name__ == "__main__":
    main()
