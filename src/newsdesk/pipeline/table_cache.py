"""Derived lookup tables kept on disk between processes, so a fresh one need not rebuild them.

The gazetteer's city ranks and the name lexicon are built from the GeoNames and pycountry
data (a 17 MB JSON file parsed, 34,000 names folded): most of a second of every process's
start, a third of a one-file ingest. ``cached(name, build, sources, packages)`` keeps the
built value as a pickle in ``folder`` (the desk sets it: ``NEWSDESK_DATA_DIR/cache``),
under a key made of what it was built from — the code and data files named, the versions
of the data packages — so any change to those builds it afresh under a new key. With no
folder set (the pipeline on its own, the tests) it simply builds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
folder: Path | None = None


def source_key(sources: list[Path], packages: list[str]) -> str:
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    for package in packages:
        digest.update(f"{package}=={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()[:20]


def cached(name: str, build: Callable[[], T], sources: list[Path], packages: list[str]) -> T:
    """``build()``, or what it returned last time from the same sources."""
    if folder is None:
        return build()
    path = folder / f"{name}-{source_key(sources, packages)}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except FileNotFoundError:
        pass
    except Exception:  # a torn or foreign file: build it again
        log.warning("table cache %s unreadable; rebuilding it", path, exc_info=True)
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}-", delete=False) as fh:
            fh.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(fh.name, path)  # whole or not at all: another process may be reading
    except OSError:
        log.warning("table cache %s could not be written", path, exc_info=True)
    return value
