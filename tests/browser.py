"""Headless Chromium for the browser tests, driven by Playwright.

``make test`` installs the browser first (``tests/install-browser.sh``: Debian's chromium
where the machine has apt and root); :func:`chromium` launches whichever Chromium is
here, or skips the test with the reason when there is none.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium ``Browser`` (closed at the end), or ``pytest.skip`` saying why."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    path = os.environ.get("QRAY_CHROMIUM") or next(
        (p for p in map(shutil.which, CANDIDATES) if p), None)
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=path)  # None: Playwright's own build
        except Error as exc:
            first = str(exc).strip().splitlines()[0]
            pytest.skip(f"no Chromium to launch ({first}); `make browser` installs Debian's "
                        "chromium, or set QRAY_CHROMIUM to a Chromium binary")
        try:
            yield browser
        finally:
            browser.close()
