"""Make the committed test files that must come from a real spreadsheet program.

Run from the project root (needs LibreOffice, ``apt-get install libreoffice-calc-nogui``, and
``msoffcrypto-tool==6.1.0`` on the path, e.g. ``pip install --target /tmp/m msoffcrypto-tool``
and ``PYTHONPATH=/tmp/m``):

    .venv/bin/python -m tests.files.make_files

- ``quirks.xls``, ``quirks.ods`` and ``quirks.xlsm``: the quirks form export of
  ``tests/import_corpus.py``, converted by LibreOffice Calc (hidden sheet, merged header and all
  values as Calc saves them; the .xlsm as a macro-enabled workbook);
- ``formulas.xlsx``: formulas whose values LibreOffice calculated and stored (the importer
  must use the stored values and never evaluate a formula);
- ``protected.xlsx``: the quirks workbook encrypted with the password ``salasana``.
CI does not need LibreOffice: the produced files are committed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.import_corpus import FILES, quirks_workbook, write_book


def convert(source: Path, to: str, out_dir: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", to, "--outdir", str(out_dir), str(source)],
        check=True,
        capture_output=True,
    )
    return out_dir / f"{source.stem}.{to.split(':')[0]}"


def main() -> None:
    import msoffcrypto  # only needed here

    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        quirks = quirks_workbook(tmp_dir / "quirks.xlsx")
        for suffix in ("xls", "ods"):
            shutil.copy(convert(quirks, suffix, tmp_dir / suffix), FILES / f"quirks.{suffix}")
        macro = convert(quirks, "xlsm:Calc MS Excel 2007 VBA XML", tmp_dir / "xlsm")
        shutil.copy(macro, FILES / "quirks.xlsm")
        formulas = write_book(
            tmp_dir / "formulas-source.xlsx",
            {
                "Responses": [
                    ["Innovation", "Assessor", "Novelty (1-5)", "Societal need (1-5)", "Round"],
                    ["Olohuone", "Laura Nieminen", "=2+2", "=ROUND(RAND()*0+3,0)", "=1"],
                    ["Digitalkkari", "Laura Nieminen", "=C2-1", 5, "=E2"],
                ]
            },
        )
        made = convert(formulas, "xlsx", tmp_dir / "calc")
        shutil.copy(made, FILES / "formulas.xlsx")
        with quirks.open("rb") as plain, (FILES / "protected.xlsx").open("wb") as locked:
            office = msoffcrypto.OfficeFile(plain)
            office.encrypt("salasana", locked)


if __name__ == "__main__":
    main()
