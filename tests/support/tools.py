"""Debian programs some tests drive (chromium, poppler-utils, nginx): `./run.sh test` installs them
as root.

`require` skips the calling test (or module) where a program is missing, and fails it under CI=true,
where the whole suite must run; `require_program` is that for programs on the PATH (or in /usr/sbin),
`support.browser.require_chromium` for /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require(missing: list[str], package: str, *, module: bool = False) -> None:
    """Skip (fail under CI=true) when `missing` names anything: the programs of Debian's `package`
    that are not there; `module`: skip the whole calling module."""
    if not missing:
        return
    message = f"{', '.join(missing)} missing: install Debian's {package} package (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=module)


def require_program(*names: str, package: str) -> None:
    """Skip (fail under CI=true) unless every program in `names` is on the PATH or in /usr/sbin."""
    require([n for n in names if not (shutil.which(n) or os.access(f"/usr/sbin/{n}", os.X_OK))], package)
