"""The tests' data builders, in one place: stores with known rows and workbooks from literal
values. Test modules import from here (and from ``tests.import_corpus``), never from one
another or from ``conftest.py``, which keeps only fixtures.

- ``tests.builders`` (this module): empty migrated stores, copied from a template, and
  workbooks;
- ``tests.builders.pipeline_hub``: a small hub workbook for the explorer and profile tests;
- ``tests.builders.mixed_scales``: a framework with four rating scales, for ranking and
  comparison.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sihub.access import Role, Viewer
from sihub.db import connect
from sihub.db.store import Store
from sihub.demo import write_workbook
from sihub.reference import sync_reference_data


def staff_by(identity: str | None) -> Viewer:
    """A member of the centre's staff, who may change data (``sihub.access.require``),
    recorded as ``identity``."""
    return Viewer(Role.STAFF, identity=identity)


BY_STAFF = staff_by(None)  # staff, with nobody signed in to record

__all__ = ["BY_STAFF", "build_template", "copy_store", "staff_by", "write_workbook"]


def build_template(path: Path) -> Path:
    """A migrated store with the shipped frameworks and vocabularies at ``path``, checkpointed
    and closed so that the file alone is the whole store, ready to be copied."""
    store = connect(str(path))
    try:
        sync_reference_data(store)
        store.checkpoint()
    finally:
        store.close()
    return path


def copy_store(template: Path, path: Path) -> Store:
    """A store of its own at ``path``, copied from ``template`` (``build_template``): a copy
    takes milliseconds where migrating and loading reference data take about a second."""
    shutil.copy(template, path)
    return connect(str(path))
