"""Debian programs some tests drive (poppler-utils, nginx): `./run.sh test` installs them as root.

`require_program` skips the calling test where the program is missing, and fails it under CI=true,
where the whole suite must run (as `support.browser.require_chromium` does for Chromium).
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(*names: str, package: str) -> None:
    """Skip (fail under CI=true) unless every program in `names` is on the PATH or in /usr/sbin."""
    missing = [n for n in names if not (shutil.which(n) or os.access(f"/usr/sbin/{n}", os.X_OK))]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: install Debian's {package} package (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
