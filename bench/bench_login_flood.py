"""Does a login flood starve the public pages? Meter req/s alone and during a password-guessing flood.

    .venv/bin/python bench/bench_login_flood.py [--seconds 10] [--flooders 8] [--readers 2]
                                                [--db PATH]

Builds the demo tracker (once, into `--db` or a temporary file), serves it with one uvicorn
worker on 127.0.0.1 (a free port, in a child process, real argon2 parameters) and then:

1. `--readers` threads fetch the meter (`/`) for `--seconds`: req/s alone;
2. the same readers again while `--flooders` anonymous clients (each its own session and CSRF
   token, all from 127.0.0.1 like the attack in issue 9) post wrong passwords as fast as they
   can: every fourth guess for the demo editor, the others for made-up usernames (spreading
   guesses over usernames is the case a per-username throttle does not see).

Prints meter req/s alone and during the flood, their ratio, and the flood's answers: 401 (the
password was hashed and checked) per second and 429 (throttled, answered before any hashing).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from lofte.demo import build_demo, demo_accounts

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, LOFTE_SECRET_KEY="bench-login-flood-secret-key-0123456789")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lofte", "--db", f"sqlite:///{db}", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def read_meter(base: str, stop: threading.Event, counts: list[int]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            if client.get("/").status_code == 200:
                counts.append(1)


def flood(base: str, editor: str, stop: threading.Event, answers: dict[int, int], lock: threading.Lock,
          seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=60) as client:
        token = _CSRF.search(client.get("/login").text)
        assert token, "no CSRF token on the login page"
        n = 0
        while not stop.is_set():
            name = editor if n % 4 == 0 else f"gissning{rng.randrange(10**9)}"
            n += 1
            status = client.post("/login", data={"username": name, "password": f"fel-{rng.random()}",
                                                 "csrf_token": token.group(1)}).status_code
            with lock:
                answers[status] = answers.get(status, 0) + 1


def run(base: str, editor: str, seconds: float, readers: int, flooders: int) -> tuple[float, float, dict[int, int]]:
    def phase(with_flood: bool) -> tuple[float, dict[int, int]]:
        stop, counts, answers, lock = threading.Event(), [], {}, threading.Lock()
        threads = [threading.Thread(target=read_meter, args=(base, stop, counts)) for _ in range(readers)]
        if with_flood:
            threads += [threading.Thread(target=flood, args=(base, editor, stop, answers, lock, i))
                        for i in range(flooders)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join()
        return len(counts) / seconds, answers

    alone, _ = phase(False)
    during, answers = phase(True)
    return alone, during, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--flooders", type=int, default=8)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "flood.db"
        if not db.exists():
            build_demo(db).dispose()
        port = free_port()
        proc = serve(db, port)
        try:
            alone, during, answers = run(f"http://127.0.0.1:{port}", demo_accounts()["editor"]["username"],
                                         args.seconds, args.readers, args.flooders)
        finally:
            proc.terminate()
            proc.wait(10)
    hashed, throttled = answers.get(401, 0), answers.get(429, 0)
    print(f"meter (/) alone:            {alone:7.1f} req/s  ({args.readers} readers)")
    print(f"meter (/) during the flood: {during:7.1f} req/s  ({args.flooders} flooders, {args.seconds:.0f} s)")
    print(f"ratio during/alone:         {during / alone if alone else 0:7.2f}")
    print(f"failed logins hashed:       {hashed / args.seconds:7.1f} /s  ({hashed} answered 401)")
    print(f"throttled before hashing:   {throttled / args.seconds:7.1f} /s  ({throttled} answered 429)")
    other = {k: v for k, v in answers.items() if k not in (401, 429)}
    if other:
        print(f"other answers:              {other}")


if __name__ == "__main__":
    main()
