"""The tests' data builders, in one place: stores with known rows and workbooks from literal
values. Test modules import from here (and from ``tests.import_corpus``), never from one
another or from ``conftest.py``, which keeps only fixtures.

- ``tests.builders`` (this module): workbooks written from literal rows;
- ``tests.builders.pipeline_hub``: a small hub workbook for the explorer and profile tests;
- ``tests.builders.mixed_scales``: a framework with four rating scales, for ranking and
  comparison.
"""

from __future__ import annotations

from sihub.demo import write_workbook

__all__ = ["write_workbook"]  # the tests' workbooks, written as the demo writes its own
