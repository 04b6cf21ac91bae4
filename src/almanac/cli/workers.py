"""``almanac serve --workers N`` on Linux: N uvicorn processes, each with its OWN listening
socket on the same address (``SO_REUSEPORT``), so the kernel spreads new connections over them
by a hash of the connection's addresses (~half each with 2 workers). With one shared socket
(uvicorn's own ``workers``) whichever process woke first took most connections: wrk's 50 split
32/18, 37/13, 19/31 and the busier worker's queue set the p99.

This process binds and listens on all N sockets before any worker starts (a connection that
comes early waits in its socket's queue), then starts one worker per socket (multiprocessing's
``spawn``: a fresh interpreter, no copy of this process's database connections). It keeps the
sockets: a worker that dies (a crash, SIGKILL) is started again on the same socket, and the
connections waiting in that socket's queue meanwhile are served by the new worker. A worker
that dies within ``_QUICK`` seconds of its start ``_GIVE_UP`` times in a row (it cannot start:
an import error, a broken database) stops the server with exit status 1. SIGINT (Ctrl-C) and
SIGTERM are passed to every worker (uvicorn's graceful stop), which are waited for; workers
also get SIGTERM when this process dies (``PR_SET_PDEATHSIG``), even by SIGKILL."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from typing import Any

_QUICK = 10.0  # seconds: a worker that dies sooner did not really start
_GIVE_UP = 5  # such quick deaths in a row stop the server
_STOP_WAIT = 30.0  # seconds for the workers' graceful stop, then SIGKILL
_PR_SET_PDEATHSIG = 1


def available() -> bool:
    """Whether each worker can have its own socket with the kernel spreading connections: Linux
    (other systems' ``SO_REUSEPORT`` does not balance, or is missing)."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets on ``host:port`` sharing the port (``SO_REUSEPORT``). First
    a plain bind: ``OSError`` (address in use) when another server already listens there, even
    another ``almanac serve --workers`` of the same user, which would otherwise share the port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(2048)  # uvicorn's default backlog
            sock.set_inheritable(True)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def supervise(sockets: list[socket.socket], app: str, options: dict[str, Any]) -> int:
    """Run one uvicorn worker per socket (``app``: a factory's import path) until SIGINT or
    SIGTERM; restart a worker that dies. The exit status: 0, or 1 when workers cannot start."""
    context = multiprocessing.get_context("spawn")
    stop: list[int] = []
    previous = {s: signal.signal(s, lambda n, _f: stop.append(n)) for s in _STOPS}

    def start(sock: socket.socket) -> BaseProcess:
        worker = context.Process(
            target=_worker, args=(sock, app, options, os.getpid()), name="almanac-worker"
        )
        worker.start()
        return worker

    workers = [start(sock) for sock in sockets]
    started = [time.monotonic()] * len(workers)
    quick_deaths = 0
    try:
        while not stop and quick_deaths < _GIVE_UP:
            wait([w.sentinel for w in workers], timeout=0.2)
            for i, worker in enumerate(workers):
                if worker.is_alive() or stop:
                    continue
                quick = time.monotonic() - started[i] < _QUICK
                quick_deaths = quick_deaths + 1 if quick else 0
                print(
                    f"almanac: worker {worker.pid} ended ({_how(worker.exitcode)}); "
                    + ("starting another" if quick_deaths < _GIVE_UP else "giving up"),
                    file=sys.stderr,
                    flush=True,
                )
                if quick_deaths < _GIVE_UP:
                    workers[i], started[i] = start(sockets[i]), time.monotonic()
    finally:
        _stop_all(workers)
        for s, handler in previous.items():
            signal.signal(s, handler)
        for sock in sockets:
            sock.close()
    return 0 if quick_deaths < _GIVE_UP else 1


_STOPS = (signal.SIGINT, signal.SIGTERM)


def _how(code: int | None) -> str:
    if code is not None and code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit status {code}"


def _stop_all(workers: list[BaseProcess]) -> None:
    """SIGTERM to every live worker, wait for the graceful stop, SIGKILL stragglers. Always
    SIGTERM: after Ctrl-C the terminal has sent the workers SIGINT already, and uvicorn takes a
    second SIGINT as "stop now, drop the open requests"."""
    signum = signal.SIGTERM
    for worker in workers:
        if worker.is_alive() and worker.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signum)
    deadline = time.monotonic() + _STOP_WAIT
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join()


def _worker(sock: socket.socket, app: str, options: dict[str, Any], parent: int) -> None:
    """One worker process: uvicorn serving ``app`` on the socket the supervisor made."""
    import uvicorn

    _die_with_parent(parent)
    config = uvicorn.Config(app, factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def _die_with_parent(parent: int) -> None:
    """SIGTERM this worker when the supervisor dies, however it dies (Linux's prctl)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent:  # the supervisor died before the prctl
        os.kill(os.getpid(), signal.SIGTERM)
