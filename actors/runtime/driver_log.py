"""``<sweep_dir>/driver.log``: every log record of a sweep's driver, with timestamps.

The handler sits on the root logger for the length of a run. Until the driver has passed
every check it only buffers (a refused sweep writes nothing); :meth:`activate` then
appends the buffer and every later record to ``driver.log``.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


class DriverLogHandler(logging.Handler):
    """Appends formatted records to ``<folder>/driver.log`` once activated."""

    def __init__(self, folder: Path, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.folder = Path(folder)
        self.setFormatter(logging.Formatter(FORMAT))
        self._buffer: list[str] = []
        self._fh = None

    @property
    def path(self) -> Path:
        return self.folder / "driver.log"

    def activate(self) -> None:
        """Start writing: the buffered records first."""
        if self._fh is not None:
            return
        try:
            self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        except OSError:
            return  # an unwritable folder is reported by the run itself
        for line in self._buffer:
            self._fh.write(line)
        self._buffer.clear()
        self._fh.flush()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = _ANSI.sub("", self.format(record)) + "\n"
            if self._fh is None:
                self._buffer.append(line)
            else:
                self._fh.write(line)
                self._fh.flush()
        except Exception:  # noqa: BLE001 - logging must never break the sweep
            self.handleError(record)

    def close(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None
        self._buffer.clear()
        super().close()


@contextlib.contextmanager
def driver_log(folder: Path) -> Iterator[DriverLogHandler]:
    """Attach a :class:`DriverLogHandler` to the root logger for the block."""
    handler = DriverLogHandler(folder)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        handler.close()
