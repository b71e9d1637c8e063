"""Workbooks are read in a worker process with a memory cap and a time limit.

calamine (through fastexcel) is native code: on a hostile workbook it can ask for hundreds of GB
and abort the process (Rust's allocation failure is an abort, not an exception), which in the
dashboard takes every session down. So the whole reading of a workbook (the checks of
xlsx_guard, then calamine, then the text and typed frames) runs in a child process:

* its address space is capped (RLIMIT_AS, READER_MEMORY) and it gets no core file;
* the parent waits at most READER_SECONDS, then kills it;
* the grids come back pickled through a pipe (Polars frames travel as Arrow IPC);
* a child that dies (SIGABRT, SIGKILL, SIGSEGV, a MemoryError) becomes a message naming the file:
  "too large when decompressed" when it ran out of memory, "damaged" otherwise.

Children are forked from a forkserver (started once per process, single-threaded, with Polars and
fastexcel already imported), so a read costs a fork rather than a new interpreter, and the
threads of the dashboard or of DuckDB are never forked.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import threading
from pathlib import Path

import fastexcel  # noqa: F401  (imported once in the forkserver, which every worker is forked from)

from queries import readers
from queries.xlsx_guard import Damaged, DecompressedTooLarge

# The worker's address space: far beyond any real template workbook (a 30-million-cell sheet
# read whole), far below what a bomb asks for (hundreds of GB).
READER_MEMORY = int(os.environ.get("DVK_READER_MEMORY_BYTES") or 8 << 30)
READER_SECONDS = float(os.environ.get("DVK_READER_SECONDS") or 600)
_OUT_OF_MEMORY = (  # lower case
    "memory allocation of",  # Rust's last words before its abort
    "memoryerror",
    "cannot allocate memory",
    "out of memory",
    "failed to map segment",  # a library that could not be loaded under the cap
    "could not spawn threads",  # no room for a thread pool's stacks
)


class ReadTimeout(readers.UnreadableFile):
    """The workbook took longer than READER_SECONDS to read."""

    def __init__(self, seconds: float):
        super().__init__(f"{seconds:g} s")
        self.seconds = seconds


_context_lock = threading.Lock()
_context = None


def _ctx():
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["queries.sandbox"])
            _context = ctx
            atexit.register(_stop_forkserver)
        return _context


def warm() -> None:
    """Start the forkserver now (the dashboard's warm-up), so the first upload is read at once."""
    _ctx()
    from multiprocessing import forkserver

    forkserver.ensure_running()


def _stop_forkserver() -> None:
    """At exit, stop the forkserver and wait for it, so that its workers' resource use (their peak
    memory) is counted in this process's children, as `time -v` and getrusage report it."""
    from multiprocessing import forkserver

    with contextlib.suppress(Exception):
        forkserver._forkserver._stop()  # type: ignore[attr-defined]  # private; there is no public stop


# --- leftovers --------------------------------------------------------------------------------

UPLOAD_PREFIX = "dvk-upload-"
READER_LOG_PREFIX = "dvk-reader-"


@contextlib.contextmanager
def upload_folder():
    """A private temporary folder for uploaded files, removed when the block ends; its name holds
    this process's id, so that a folder left by a server that was killed is removed at the next
    start (remove_dead_uploads)."""
    with tempfile.TemporaryDirectory(prefix=f"{UPLOAD_PREFIX}{os.getpid()}-") as folder:
        yield Path(folder)


def remove_dead_uploads(root: Path | None = None) -> list[Path]:
    """Remove the upload folders (and reader logs) of processes that no longer run; return those
    removed."""
    removed = []
    for prefix in (UPLOAD_PREFIX, READER_LOG_PREFIX):
        for folder in Path(root or tempfile.gettempdir()).glob(prefix + "*"):
            if _owner_is_dead(folder.name[len(prefix) :]):
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    folder.unlink(missing_ok=True)
                removed.append(folder)
    return removed


def _owner_is_dead(rest: str) -> bool:
    try:
        os.kill(int(rest.split("-")[0]), 0)
    except ProcessLookupError:
        return True
    except (ValueError, PermissionError, OSError):
        return False  # not ours, or alive
    return False


def read_excel(path: Path, display: str) -> list[readers.Grid]:
    """readers.read_excel in a worker process: the same grids, or the same exceptions, plus
    DecompressedTooLarge / Damaged / ReadTimeout when the worker was stopped or died."""
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    with tempfile.NamedTemporaryFile(prefix=f"{READER_LOG_PREFIX}{os.getpid()}-", delete=False) as log:
        log_path = Path(log.name)
    child = ctx.Process(
        target=_child, args=(send, str(path), display, str(log_path), READER_MEMORY), daemon=True
    )
    try:
        child.start()
        send.close()
        message = None
        if receive.poll(READER_SECONDS):
            with contextlib.suppress(EOFError, OSError):
                message = receive.recv()
        else:
            child.kill()
            child.join()
            raise ReadTimeout(READER_SECONDS)
        child.join(30)
        if message is None:
            raise _died(child.exitcode, log_path, display)
        return _result(message, display)
    finally:
        if child.is_alive():
            child.kill()
            child.join()
        receive.close()
        with contextlib.suppress(OSError):
            log_path.unlink()


def _died(exitcode: int | None, log_path: Path, display: str) -> readers.UnreadableFile:
    try:
        log = log_path.read_text(errors="replace")[-4000:]
    except OSError:
        log = ""
    if any(mark in log.lower() for mark in _OUT_OF_MEMORY) or exitcode == -signal.SIGKILL:
        return DecompressedTooLarge(display, READER_MEMORY)
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit {exitcode}"
    return Damaged(f"reader stopped: {how}")


def _result(message: tuple, display: str) -> list[readers.Grid]:
    kind, payload = message
    if kind == "ok":
        return [readers.Grid(display, sheet, cells, typed) for sheet, cells, typed in payload]
    name, args = payload
    if name == "SheetTooLarge":
        raise readers.SheetTooLarge(*args)
    if name == "DecompressedTooLarge":
        raise DecompressedTooLarge(*args)
    if name == "MemoryError":
        raise DecompressedTooLarge(display, READER_MEMORY)
    cls = {
        "PasswordProtected": readers.PasswordProtected,
        "TooManyColumns": readers.UnreadableFile,
        "Damaged": Damaged,
    }.get(name, readers.UnreadableFile)
    raise cls(*args)


def _child(send, path: str, display: str, log_path: str, memory: int) -> None:
    """In the worker: cap memory, send back ("ok", grids) or ("error", (class name, args))."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    fd = os.open(log_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(fd, 2)  # a native abort's last words ("memory allocation of ... failed") land here
    os.close(fd)
    os.environ["RUST_BACKTRACE"] = "0"
    message: tuple[str, object]
    try:
        grids = readers.read_excel(Path(path), display)
        message = ("ok", [(g.sheet, g.cells, g.typed) for g in grids])
    except readers.SheetTooLarge as exc:
        message = ("error", ("SheetTooLarge", (exc.sheet, exc.last_cell, exc.cells)))
    except DecompressedTooLarge as exc:
        message = ("error", ("DecompressedTooLarge", (exc.part, exc.size)))
    except MemoryError:
        message = ("error", ("MemoryError", ()))
    except readers.UnreadableFile as exc:
        message = ("error", (type(exc).__name__, (str(exc),)))
    except Exception as exc:  # anything else a parser raises: the file is damaged, or too large
        text = f"{type(exc).__name__}: {exc}"
        if any(mark in text.lower() for mark in _OUT_OF_MEMORY):
            message = ("error", ("MemoryError", ()))
        else:
            message = ("error", ("Damaged", (text[:200],)))
    try:
        send.send(message)
    except MemoryError:
        send.send(("error", ("MemoryError", ())))
    send.close()
