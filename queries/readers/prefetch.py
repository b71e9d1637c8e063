"""Reading the next piece of a file in a background thread while this one is worked on."""

from __future__ import annotations

import queue
import threading


class prefetch:  # noqa: N801 - used like a generator
    """Iterate `items` in a background thread, `depth` items ahead (reading and parsing the next
    piece of a file overlaps with the work on this one: Polars and hashlib release the GIL).
    An exception in the thread is raised here; close() stops the thread."""

    _DONE = object()

    def __init__(self, items, depth: int = 1):
        self._items = iter(items)
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="dvk-import-reader", daemon=True)
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _work(self) -> None:
        try:
            for item in self._items:
                if not self._put((item, None)):
                    return
            self._put((self._DONE, None))
        except BaseException as exc:  # handed to the consumer
            self._put((self._DONE, exc))

    def __iter__(self):
        return self

    def __next__(self):
        if self._stop.is_set():
            raise StopIteration
        item, exc = self._queue.get()
        if exc is not None:
            self.close()
            raise exc
        if item is self._DONE:
            self.close()
            raise StopIteration
        return item

    def close(self) -> None:
        """Stop the thread and close the underlying iterator."""
        self._stop.set()
        self._thread.join()
        close = getattr(self._items, "close", None)
        if close is not None:
            close()
