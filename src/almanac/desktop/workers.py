"""Network work off the window's thread (issue 6 §3): ``run_async(call, done, failed,
progress)`` runs ``call`` in the global ``QThreadPool`` and delivers its result, its error or
its progress reports back on the GUI thread through Qt signals (queued connections). The
window never waits on the network."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

ProgressFn = Callable[[Any], None]


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class Worker(QRunnable):
    """One call in a pool thread. ``call`` receives a ``report(progress)`` function."""

    def __init__(self, call: Callable[[ProgressFn], Any]) -> None:
        super().__init__()
        self.call = call
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.call(self.signals.progress.emit)
        except BaseException as exc:  # every failure goes back to the window, none is lost
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_running: set[Worker] = set()


def run_async(
    call: Callable[[ProgressFn], Any],
    done: Callable[[Any], None],
    failed: Callable[[BaseException], None],
    progress: Callable[[Any], None] | None = None,
) -> Worker:
    """Start ``call`` in a worker thread; ``done``/``failed``/``progress`` run on the GUI
    thread. The worker is kept alive until it has reported."""
    worker = Worker(call)
    _running.add(worker)

    def finish_ok(result: Any) -> None:
        _running.discard(worker)
        done(result)

    def finish_failed(exc: Any) -> None:
        _running.discard(worker)
        failed(exc)

    worker.signals.done.connect(finish_ok)
    worker.signals.failed.connect(finish_failed)
    if progress is not None:
        worker.signals.progress.connect(progress)
    QThreadPool.globalInstance().start(worker)
    return worker


def busy() -> bool:
    """True while a worker has not reported yet (tests wait on it)."""
    return bool(_running)
