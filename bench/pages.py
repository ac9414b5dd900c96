"""Page-level benchmark (issue 13): server-side time until each page's script has finished for
a new session, on generated stores of 10 000 and 100 000 innovations (5 assessments each), in
a DuckDB file and in PostgreSQL, beside a trivial two-chart page measured in the same run.

A page's figure is the median of ``--runs`` new sessions (a fresh AppTest through the frame)
in a process that has served the page once, as a server has after its first visitor: the
page's run after the session's first run, since that first run is mostly AppTest starting a
runtime of its own; the trivial page (``bench/trivial_page.py``) is timed the same way. The
**first visit** after a (re)start is the first session's first run in a new process (store
opened, data checked, nothing cached, the harness's start included). Each store is measured in
a process of its own, and the trivial page with it.

Targets: on DuckDB every page <= 1 s at 100k and the first visit <= 3 s; at 10k every page
within 1.5 x the trivial page; on PostgreSQL within 1.5 x DuckDB's figure at 10k.

``--protocol`` measures the same over Streamlit's own protocol instead (``measure_protocol``):
each page a new session's first request to a running server, beside a running trivial page,
which is what a browser waits for (AppTest leaves out the session and the sending); every
store's server runs at once and the pages are visited in turn, so that load falls alike.

    .venv/bin/python -m bench.pages [--sizes 10k,100k] [--stores duckdb,postgres] [--runs N]
                                    [--protocol]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sihub import PROJECT_DIR

SIZES = {"1k": (1_000, 5_000), "10k": (10_000, 50_000), "100k": (100_000, 500_000)}
STORE_DIR = Path("/tmp")  # generated stores are kept between runs: building 100k takes minutes
PAGE_TARGET_S = 1.0  # DuckDB, 100k
FIRST_VISIT_TARGET_S = 3.0  # DuckDB, 100k
TRIVIAL_RATIO = 1.5  # DuckDB, 10k: a page against the trivial page
POSTGRES_RATIO = 1.5  # PostgreSQL against DuckDB, 10k
TODAY = "2026-06-01"
COMPARED = 10  # innovations on the comparison page
PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "overview": ("pages/overview.py", {}),
    "explorer": ("pages/pipeline.py", {}),
    "explorer, filtered": ("pages/pipeline.py", {"theme": "employment", "status": "external"}),
    "explorer, search": ("pages/pipeline.py", {"q": "nuorten työ"}),
    "explorer, min score": ("pages/pipeline.py", {"minscore": "3.4"}),  # on 1-5
    "funder view": ("pages/funders.py", {}),
    "comparison": ("pages/compare.py", {"ids": "COMPARED"}),
    "ecosystem": ("pages/ecosystem.py", {}),
    "profile": ("pages/innovation.py", {"id": "BUSIEST"}),
    "funding": ("pages/funding.py", {}),
    "import": ("pages/import.py", {}),
    "method": ("pages/method.py", {}),
}
TRIVIAL = "trivial page"


def bench_store(size: str) -> Path:
    """The generated DuckDB store of ``size``, built once and kept in /tmp."""
    from bench.pipeline_store import build_bench_store

    innovations, assessments = SIZES[size]
    path = STORE_DIR / f"sihub-bench-pages-{size}.duckdb"
    if not path.exists():
        started = time.perf_counter()
        build_bench_store(path, innovations, assessments)
        print(f"built {path} in {time.perf_counter() - started:.0f} s", flush=True)
    return path


# --- one store, in a process of its own ---------------------------------------------------
def _session(script: str | None, params: dict[str, str], first: bool = False) -> float:
    """Seconds a new session's run of ``script`` takes (None: the trivial page): the run after
    the session's first one (of the overview, or of the trivial page), since AppTest's first
    run is mostly the harness starting a runtime of its own (0.12 s, where the trivial page's
    own run takes 0.01 s); with ``first``, that first run of the overview itself (a restarted
    server's first visitor)."""
    from streamlit.testing.v1 import AppTest

    trivial = Path(__file__).with_name("trivial_page.py")
    path = trivial if script is None else PROJECT_DIR / "app.py"
    at = AppTest.from_file(str(path), default_timeout=600)
    at.query_params["lang"] = "en"
    started = time.perf_counter()
    at.run()  # the trivial page, or the frame and the overview: a new session's first request
    if not first:
        if script is not None:
            at.switch_page(script)
            at.query_params["lang"] = "en"
            for key, value in params.items():
                at.query_params[key] = value
        started = time.perf_counter()
        at.run()
    took = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{script}: {[e.value for e in at.exception]}")
    return took


def _page_params(location: str) -> dict[str, dict[str, str]]:
    from sihub.db import connect

    store = connect(location)
    try:
        busiest = store.scalar(
            "SELECT innovation_id FROM assessments GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        )
        compared = store.rows(
            "SELECT DISTINCT innovation_id FROM assessments ORDER BY 1 LIMIT ?", [COMPARED]
        )
    finally:
        store.close()
    values = {"BUSIEST": str(busiest), "COMPARED": ",".join(str(r[0]) for r in compared)}
    return {
        label: {k: values.get(v, v) for k, v in params.items()}
        for label, (_, params) in PAGES.items()
    }


def measure_one(location: str, runs: int) -> dict[str, object]:
    """This process's figures for the store at ``location``: the first visit, then each page
    and the trivial page, ``runs`` new sessions each, interleaved so that a busy moment of the
    machine falls on all of them alike."""
    from streamlit.testing.v1 import app_test

    from tests.apptools import ServerLikePagesManager

    app_test.PagesManager = ServerLikePagesManager  # the frame, as the server runs it
    os.environ.update(SIHUB_DB=location, SIHUB_TODAY=TODAY)
    first = _session(PAGES["overview"][0], {}, first=True)  # nothing cached: a restart
    params = _page_params(location)
    for label, (script, _) in PAGES.items():  # each page's first visitor fills the caches
        _session(script, params[label])
    times: dict[str, list[float]] = {label: [] for label in [*PAGES, TRIVIAL]}
    for _ in range(runs):
        times[TRIVIAL].append(_session(None, {}))
        for label, (script, _) in PAGES.items():
            times[label].append(_session(script, params[label]))
    return {"first_visit": first, **{k: statistics.median(v) for k, v in times.items()}}


# --- over Streamlit's protocol --------------------------------------------------------------
def measure_protocol(locations: dict[str, str], runs: int) -> dict[str, dict[str, float]]:
    """The same figures spoken over Streamlit's own protocol (the websocket a browser uses) to
    a running server of the app per store in ``locations`` (store -> location), beside a
    server of the trivial page: each a new session's first request, from connecting until
    the page's script finished (``bench.sessions``). The stores' pages and the trivial page
    are visited in turn, so that a change in the machine's load falls on all of them alike
    (measured one after the other, PostgreSQL's figures once read 1.7x DuckDB's where the
    trivial page's read 1.7x too)."""
    import tempfile
    from urllib.parse import urlencode

    from bench._measure import in_own_loop
    from bench.sessions import one_session
    from sihub.navigation import PAGES as DECLARED
    from tests.browser import Server

    address = {p.script: p.url_path for p in DECLARED}
    params = {store: _page_params(location) for store, location in locations.items()}

    def visit(port: int, store: str, label: str | None) -> float:
        if label is None:
            return in_own_loop(one_session(port))
        query = urlencode({"lang": "en", **params[store][label]})
        return in_own_loop(one_session(port, query, address[PAGES[label][0]]))

    with tempfile.TemporaryDirectory() as tmp:
        env = {"SIHUB_TODAY": TODAY}
        # a location as it is: a PostgreSQL URL is no path (Path would fold its "//")
        apps = {
            store: Server(location, Path(tmp) / f"{store}.log", env=env)
            for store, location in locations.items()
        }
        trivial = Server(
            next(iter(locations.values())),
            Path(tmp) / "trivial.log",
            env=env,
            script="bench/trivial_page.py",
        )
        try:
            for server in [*apps.values(), trivial]:
                server.wait_until_ready(300)
            # a restarted server's first visitor, then each page's first (fills the caches)
            first = {store: visit(app.port, store, "overview") for store, app in apps.items()}
            visit(trivial.port, "", None)
            for store, app in apps.items():
                for label in PAGES:
                    visit(app.port, store, label)
            times = {store: {label: [] for label in PAGES} for store in apps}
            trivial_times = []
            for _ in range(runs):
                trivial_times.append(visit(trivial.port, "", None))
                for label in PAGES:
                    for store, app in apps.items():
                        times[store][label].append(visit(app.port, store, label))
        finally:
            for server in [*apps.values(), trivial]:
                server.stop()
    return {
        store: {
            "first_visit": first[store],
            **{label: statistics.median(v) for label, v in times[store].items()},
            TRIVIAL: statistics.median(trivial_times),
        }
        for store in apps
    }


# --- the whole benchmark ----------------------------------------------------------------------
def _measured_in_a_process(location: str, runs: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.pages", "--measure", location, "--runs", str(runs)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode:
        raise RuntimeError(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _locations(size: str, stores: list[str], cluster) -> dict[str, str]:
    from sihub.db.copying import copy_store

    path = bench_store(size)
    found = {"duckdb": str(path)}
    if "postgres" in stores:
        url = cluster.new_database()
        started = time.perf_counter()
        copy_store(str(path), url)
        print(f"copied {size} into PostgreSQL in {time.perf_counter() - started:.0f} s")
        found["postgres"] = url
    return {k: v for k, v in found.items() if k in stores}


def report(figures: dict[tuple[str, str], dict[str, float]]) -> int:
    """Print one table per size; return how many targets were missed."""
    missed = 0
    for size in dict.fromkeys(size for size, _ in figures):
        stores = [store for s, store in figures if s == size]
        print(f"\n{size}: seconds until the page's script finished, new session (median)")
        print(f"  {'page':22}" + "".join(f"{store:>12}" for store in stores) + "   verdict")
        for label in ["first_visit", *PAGES, TRIVIAL]:
            row = [figures[(size, store)][label] for store in stores]
            said = verdict(size, label, dict(zip(stores, row, strict=True)), figures)
            missed += said.startswith("MISSED")
            print(f"  {label:22}" + "".join(f"{v:12.3f}" for v in row) + f"   {said}")
    return missed


def verdict(size: str, label: str, row: dict[str, float], figures) -> str:
    duck = row.get("duckdb")
    checks = []
    if duck is not None and label != TRIVIAL:
        if size == "100k":
            limit = FIRST_VISIT_TARGET_S if label == "first_visit" else PAGE_TARGET_S
            checks.append((duck <= limit, f"<= {limit:.0f} s"))
        if size == "10k" and label != "first_visit":
            trivial = figures[(size, "duckdb")][TRIVIAL]
            checks.append((duck <= TRIVIAL_RATIO * trivial, f"{duck / trivial:.1f}x trivial"))
    if size == "10k" and duck and "postgres" in row and label not in ("first_visit", TRIVIAL):
        ratio = row["postgres"] / duck
        checks.append((ratio <= POSTGRES_RATIO, f"PostgreSQL {ratio:.1f}x DuckDB"))
    if not checks:
        return ""
    return ("ok: " if all(ok for ok, _ in checks) else "MISSED: ") + ", ".join(t for _, t in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k", help="of " + ", ".join(SIZES))
    parser.add_argument("--stores", default="duckdb,postgres")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--protocol",
        action="store_true",
        help="measure over Streamlit's protocol against running servers instead of AppTest",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a child process's one store
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure_one(args.measure, args.runs)))
        return 0
    stores = args.stores.split(",")
    cluster = _cluster() if "postgres" in stores else None
    try:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        how = "Streamlit's protocol, running servers" if args.protocol else "AppTest"
        print(f"{os.cpu_count()} cores, load average {load}; {args.runs} sessions per page; {how}")
        figures = {}
        for size in args.sizes.split(","):
            locations = _locations(size, stores, cluster)
            if args.protocol:  # every store's server at once, visited in turn
                measured = measure_protocol(locations, args.runs)
                figures.update({(size, store): f for store, f in measured.items()})
                continue
            for store, location in locations.items():
                figures[(size, store)] = _measured_in_a_process(location, args.runs)
        missed = report(figures)
    finally:
        if cluster is not None:
            cluster.stop()
    print(f"\n{'all targets met' if not missed else f'{missed} targets missed'}")
    return 1 if missed else 0


def _cluster():
    """A throwaway PostgreSQL server (the tests' own, ``tests/pg.py``)."""
    from tests.pg import Cluster, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        raise SystemExit("PostgreSQL is missing: install Debian's postgresql (make test does)")
    return Cluster(bin_dir)


if __name__ == "__main__":
    raise SystemExit(main())
