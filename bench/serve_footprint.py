"""`helpline serve` footprint: time from process start until /healthz answers, and its RSS.

Starts the real command as a subprocess (a fresh SQLite database and key in a
temporary directory, a free loopback port), polls /healthz, then reads the
process's resident memory from /proc (VmRSS now, VmHWM its peak so far).
The NLU model is trained into the temporary directory first, so that a stale
models/nlu.pkl does not turn the start into a training run.

    .venv/bin/python bench/serve_footprint.py            # 5 starts, median and worst
    .venv/bin/python bench/serve_footprint.py --runs 3 --model models/nlu.pkl
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELPLINE = ROOT / ".venv" / "bin" / "helpline"
DEADLINE = 120.0  # seconds a start may take before the benchmark gives up


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1.0) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _environment(workdir: Path, model: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "HELPLINE_DATABASE_URL": f"sqlite:///{workdir / 'helpline.db'}",
            "HELPLINE_KEY_FILE": str(workdir / "helpline.key"),
            "HELPLINE_NLU__MODEL_PATH": str(model),
        }
    )
    for name in ("TELEGRAM_BOT_TOKEN", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        env.pop(name, None)
    return env


def start_once(workdir: Path, model: Path) -> tuple[float, float, float]:
    """(seconds until /healthz answers 200, VmRSS MB then, VmHWM MB then)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(HELPLINE), "serve", "--port", str(port)],
        cwd=ROOT,
        env=_environment(workdir, model),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        while not _healthy(url):
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(f"helpline serve exited with {process.returncode}:\n{error}")
            if time.perf_counter() - started > DEADLINE:
                raise RuntimeError(f"/healthz did not answer within {DEADLINE} s")
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        rss = _status_kb(process.pid, "VmRSS") / 1024
        peak = _status_kb(process.pid, "VmHWM") / 1024
        return seconds, rss, peak
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", type=Path, default=None, help="use this saved model as it is")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-footprint-") as tmp:
        workdir = Path(tmp)
        model = args.model
        if model is None:
            model = workdir / "nlu.pkl"
            subprocess.run(
                [str(HELPLINE), "nlu", "train", "--folds", "0"],
                cwd=ROOT,
                env=_environment(workdir, model),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        if model.exists():
            print(f"model file                 {model.stat().st_size / 1e6:.2f} MB")
        runs = [start_once(workdir, model.resolve()) for _ in range(args.runs)]
    seconds = [r[0] for r in runs]
    rss = [r[1] for r in runs]
    peak = [r[2] for r in runs]
    print(f"starts                     {len(runs)}")
    print(f"start to /healthz median   {statistics.median(seconds):.2f} s (max {max(seconds):.2f})")
    print(f"RSS after start median     {statistics.median(rss):.1f} MB (max {max(rss):.1f})")
    print(f"peak RSS (VmHWM) median    {statistics.median(peak):.1f} MB (max {max(peak):.1f})")


if __name__ == "__main__":
    sys.exit(main())
