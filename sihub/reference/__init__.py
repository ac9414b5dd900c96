"""Reference data from files under ``data/``: vocabularies, rating scales and frameworks.

The files are the source of truth: ``sync_reference_data`` loads them into the store whenever
their content changed, so replacing a framework file and reloading the app changes the criteria
without code changes. A criterion dropped from its file is deleted when nothing scored it and
kept as ``retired`` otherwise, so that no stored score loses its meaning.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sihub import DATA_DIR
from sihub.db import derived, meta
from sihub.db.store import Store
from sihub.errors import DataFileError
from sihub.i18n import LANGUAGES
from sihub.reference import outcomes
from sihub.reference.scales import Level, Scale
from sihub.reference.vocabularies import VOCABULARY_TABLES


@dataclass(frozen=True)
class ReferenceFiles:
    vocabularies: Path
    scales: Path
    frameworks: tuple[Path, ...]

    @classmethod
    def under(cls, data_dir: Path) -> ReferenceFiles:
        return cls(
            data_dir / "vocabularies.toml",
            data_dir / "scales.toml",
            tuple(sorted((data_dir / "frameworks").glob("*.toml"))),
        )

    def all(self) -> tuple[Path, ...]:
        return (self.vocabularies, self.scales, *self.frameworks)

    def digest(self) -> str:
        h = hashlib.sha256()
        for path in self.all():
            h.update(path.name.encode())
            h.update(path.read_bytes())
        return h.hexdigest()


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise DataFileError(f"{path.name}: {e}", file=path.name) from e


def _names(entry: dict, path: Path, field: str = "") -> list[str]:
    """The fi/sv/en texts of ``entry`` (``fi`` or ``<field>_fi``); all three are required."""
    key = (lambda lang: f"{field}_{lang}") if field else (lambda lang: lang)
    missing = [lang for lang in LANGUAGES if not entry.get(key(lang))]
    if missing and not field:
        raise DataFileError(f"{path.name}: {entry.get('code')} lacks {missing}", file=path.name)
    return [entry.get(key(lang)) for lang in LANGUAGES]


def reference_digest(data_dir: Path = DATA_DIR) -> str:
    """The reference files' digest as ``sync_reference_data`` records it: what the store
    holds when it is in step with the files."""
    return ReferenceFiles.under(Path(data_dir)).digest()


def sync_reference_data(
    store: Store, data_dir: Path = DATA_DIR, force: bool = False, rebuild: bool = True
) -> bool:
    """Load the reference files into ``store`` if they changed since last time; True if loaded.
    With ``rebuild=False`` the derived tables are left stale for the caller to rebuild (the
    app's frame does it in the background: half a minute at 100 000 innovations)."""
    files = ReferenceFiles.under(Path(data_dir))
    digest = reference_digest(data_dir)
    if not force and store.meta("reference_digest") == digest:
        return False
    vocab = _read_toml(files.vocabularies)
    scales = _read_toml(files.scales).get("scales", [])
    frameworks = [(path, _read_toml(path)) for path in files.frameworks]
    _check_frameworks(
        frameworks, {s["code"] for s in scales}, {d["code"] for d in vocab.get("dimensions", [])}
    )
    with store.transaction() as cur:
        _write_vocabularies(cur, vocab, files.vocabularies)
        _write_scales(cur, scales, files.scales)
        _write_frameworks(cur, frameworks)
        meta.write(cur, "reference_digest", digest)
        if rebuild:
            derived.rebuild_in(cur)  # names, criteria and dimensions are part of the summaries
    return True


def _check_frameworks(
    frameworks: list[tuple[Path, dict]], scales: set[str], dims: set[str]
) -> None:
    seen: dict[str, Path] = {}
    for path, fw in frameworks:
        code = fw.get("code")
        if not code or code in seen:
            raise DataFileError(
                f"{path.name}: missing or repeated framework code {code!r}", file=path.name
            )
        seen[code] = path
        combine = fw.get("combine", outcomes.DEFAULT_COMBINE)
        if combine not in outcomes.COMBINE_RULES:
            raise DataFileError(
                f"{path.name}: combine = {combine!r} is not one of {outcomes.COMBINE_RULES}",
                file=path.name,
            )
        if not fw.get("criteria"):
            raise DataFileError(f"{path.name}: no [[criteria]]", file=path.name)
        for c in fw["criteria"]:
            scale = c.get("scale", fw.get("scale"))
            if scale not in scales:
                raise DataFileError(
                    f"{path.name}: {c.get('code')}: unknown scale {scale!r}", file=path.name
                )
            if c.get("dimension") not in dims:
                raise DataFileError(
                    f"{path.name}: {c.get('code')}: unknown dimension {c.get('dimension')!r}",
                    file=path.name,
                )


def _write_vocabularies(cur, vocab: dict, path: Path) -> None:
    for table in VOCABULARY_TABLES:
        entries = vocab.get(table, [])
        cur.execute(f"DELETE FROM {table}")
        for order, e in enumerate(entries, start=1):
            names = _names(e, path)
            if table == "regions":
                cur.execute(
                    "INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [e["code"], e["kind"], e.get("maakunta"), order, *names],
                )
            elif table == "stages":
                cur.execute(
                    "INSERT INTO stages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [e["code"], order, *names, *_names(e, path, "description")],
                )
            else:
                cur.execute(
                    f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?)", [e["code"], order, *names]
                )


def _write_scales(cur, scales: list[dict], path: Path) -> None:
    cur.execute("DELETE FROM scale_levels")
    cur.execute("DELETE FROM scales")
    for s in scales:
        cur.execute(
            "INSERT INTO scales VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                s["code"],
                s["kind"],
                s.get("min"),
                s.get("max"),
                bool(s.get("allow_decimals", False)),
                *_names(s, path),
            ],
        )
        for order, lv in enumerate(s["levels"], start=1):
            cur.execute(
                "INSERT INTO scale_levels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    s["code"],
                    str(lv["code"]),
                    lv.get("value"),
                    lv["normalised"],
                    order,
                    lv.get("synonyms", []),
                    *_names(lv, path),
                ],
            )


def _write_frameworks(cur, frameworks: list[tuple[Path, dict]]) -> None:
    scored = {
        tuple(r)
        for r in cur.execute(
            "SELECT DISTINCT a.framework_code, s.criterion_code FROM scores s "
            "JOIN assessments a ON a.id = s.assessment_id"
        ).fetchall()
    }
    used_frameworks = {
        r[0] for r in cur.execute("SELECT DISTINCT framework_code FROM assessments").fetchall()
    }
    codes = [fw["code"] for _, fw in frameworks]
    for code in {r[0] for r in cur.execute("SELECT code FROM frameworks").fetchall()}:
        if code not in codes and code not in used_frameworks:
            cur.execute("DELETE FROM criteria WHERE framework_code = ?", [code])
            cur.execute("DELETE FROM frameworks WHERE code = ?", [code])
    for path, fw in frameworks:
        _write_framework(cur, path, fw, scored)


def _write_framework(cur, path: Path, fw: dict, scored: set[tuple[str, str]]) -> None:
    code = fw["code"]
    cur.execute("DELETE FROM frameworks WHERE code = ?", [code])
    cur.execute(
        "INSERT INTO frameworks (code, version, provisional, default_scale, source_url, "
        "source_file, sort_order, name_fi, name_sv, name_en, description_fi, description_sv, "
        "description_en, combine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            code,
            fw.get("version"),
            bool(fw.get("provisional", False)),
            fw.get("scale"),
            fw.get("source_url"),
            path.name,
            fw.get("sort_order"),
            *_names(fw["name"], path),
            *_names(fw.get("description", {}), path),
            fw.get("combine", outcomes.DEFAULT_COMBINE),
        ],
    )
    kept = [c["code"] for c in fw["criteria"]]
    for (criterion,) in cur.execute(
        "SELECT code FROM criteria WHERE framework_code = ?", [code]
    ).fetchall():
        if criterion in kept:
            continue
        if (code, criterion) in scored:
            cur.execute(
                "UPDATE criteria SET retired = TRUE WHERE framework_code = ? AND code = ?",
                [code, criterion],
            )
        else:
            cur.execute(
                "DELETE FROM criteria WHERE framework_code = ? AND code = ?", [code, criterion]
            )
    for order, c in enumerate(fw["criteria"], start=1):
        cur.execute("DELETE FROM criteria WHERE framework_code = ? AND code = ?", [code, c["code"]])
        cur.execute(
            "INSERT INTO criteria VALUES (?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?)",
            [
                code,
                c["code"],
                c["dimension"],
                c.get("scale", fw.get("scale")),
                order,
                c.get("synonyms", []),
                *_names(c, path),
                *_names(c, path, "guidance"),
            ],
        )


def load_scales(store: Store) -> dict[str, Scale]:
    """Every scale in the store, ready to parse typed scores."""
    levels: dict[str, list[Level]] = {}
    for r in store.records("SELECT * FROM scale_levels ORDER BY scale_code, sort_order"):
        labels = (r["label_fi"], r["label_sv"], r["label_en"], *(r["synonyms"] or []))
        levels.setdefault(r["scale_code"], []).append(
            Level(
                r["code"],
                r["normalised"],
                r["value"],
                tuple(x for x in labels if x),
                {lang: r[f"label_{lang}"] for lang in LANGUAGES},
            )
        )
    return {
        r["code"]: Scale(
            r["code"],
            r["kind"],
            tuple(levels.get(r["code"], ())),
            r["min_value"],
            r["max_value"],
            bool(r["allow_decimals"]),
        )
        for r in store.records("SELECT * FROM scales")
    }


def framework_scale(store: Store, framework: str, criterion: str | None = None) -> Scale:
    """The scale a framework's results (or one criterion's scores) are shown and typed on: the
    criterion's own, else the framework's."""
    code = None
    if criterion:
        code = store.scalar(
            "SELECT scale_code FROM criteria WHERE framework_code = ? AND code = ?",
            [framework, criterion],
        )
    code = code or store.scalar("SELECT default_scale FROM frameworks WHERE code = ?", [framework])
    return load_scales(store)[code]
