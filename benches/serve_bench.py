#!/usr/bin/env python3
"""Benchmarks `dossier serve` on a dossier site: the time from saving a file
to the reload event, and requests per second, p99 latency and errors under
load at 10, 100 and 1,000 connections while rebuilds happen.

Loopback only, bounded in count and time. A benchmark, not a test.

    benches/serve_bench.py SITE_DIR [--edits 20] [--seconds 10] [--no-load]

SITE_DIR is a dossier (for example one written by benches/gen_corpus.py).
Its first incident file is edited and restored. Needs `wrk` for the load
part (apt-get install wrk).
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "dossier")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, seconds=600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not answer")


class Events:
    """A server-sent-events subscription over a raw socket."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"GET /__dossier/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.buffer = b""

    def wait(self, name, timeout=30):
        self.sock.settimeout(timeout)
        marker = f"event: {name}".encode()
        while marker not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed")
            self.buffer += chunk
        self.buffer = self.buffer.split(marker, 1)[1]


def first_incident(site):
    folder = os.path.join(site, "content", "incidents")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".md"):
            return os.path.join(folder, name), name[:-3]
    sys.exit("no incident in the site")


def edit(path, original, i):
    with open(path, "w", encoding="utf-8") as f:
        f.write(original.replace("\ntitle: ", f"\ntitle: Edit {i} ", 1))


def measure_edits(port, path, slug, edits):
    original = open(path, encoding="utf-8").read()
    events = Events(port)
    time.sleep(0.5)
    times = []
    try:
        for i in range(edits):
            start = time.perf_counter()
            edit(path, original, i)
            events.wait("reload")
            times.append((time.perf_counter() - start) * 1000)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/incidents/{slug}/") as r:
                if f"Edit {i} " not in r.read().decode():
                    sys.exit(f"edit {i} was not served")
            time.sleep(0.2)
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    return times


def run_wrk(port, slug, connections, seconds):
    threads = 2
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
         f"http://127.0.0.1:{port}/incidents/{slug}/"],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, p99, errors, requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args()
    site = os.path.abspath(args.site)
    if not os.path.exists(BINARY):
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([BINARY, "serve", "--root", site, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        print(f"serve ready after {time.perf_counter() - started:.2f} s (initial load and home page)")
        path, slug = first_incident(site)
        times = measure_edits(port, path, slug, args.edits)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"save to reload event over {len(times)} edits: median {statistics.median(times):.0f} ms, "
              f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms")
        if args.no_load:
            return
        if not shutil.which("wrk"):
            sys.exit("wrk is not installed (apt-get install wrk); skipping the load part")
        original = open(path, encoding="utf-8").read()
        stop = threading.Event()

        def keep_editing():
            i = 0
            while not stop.is_set():
                edit(path, original, 1000 + i)
                i += 1
                stop.wait(0.5)

        editor = threading.Thread(target=keep_editing)
        editor.start()
        try:
            print("| connections | requests/s | p99 latency | errors | requests |")
            print("|---:|---:|---:|---:|---:|")
            for connections in (10, 100, 1000):
                rps, p99, errors, requests = run_wrk(port, slug, connections, args.seconds)
                print(f"| {connections} | {rps:,.0f} | {p99} | {errors} | {requests:,} |", flush=True)
        finally:
            stop.set()
            editor.join()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
