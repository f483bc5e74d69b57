"""Every test run gets its own, empty file cache (never the user's ~/.cache): the
commands then take both paths, a miss the first time a file is read and a hit after."""

import os
import shutil
import tempfile

_made: list[str] = []


def pytest_configure(config):
    if "SRELADDER_CACHE_DIR" not in os.environ:
        _made.append(tempfile.mkdtemp(prefix="sreladder-test-cache-"))
        os.environ["SRELADDER_CACHE_DIR"] = _made[0]


def pytest_unconfigure(config):
    for folder in _made:
        shutil.rmtree(folder, ignore_errors=True)
