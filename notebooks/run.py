#!/usr/bin/env python3
"""Executes the notebooks headless: ``./testbed notebooks [RESULTS_DIR] [--store] ...`` (issue 16).

Three modes:

* ``./testbed notebooks``: executes every notebook against the committed results/ and fails when a
  notebook's stored outputs differ from the fresh execution's (the freshness check ``./testbed test``
  runs). Nothing is written.
* ``./testbed notebooks --store``: the same execution, then writes the outputs into notebooks/*.ipynb
  (after ``./testbed reproduce`` regenerated results/).
* ``./testbed notebooks DIR [--baseline OLD]``: executes every notebook against another results
  folder (one experiment's folder or a folder of them) and writes the executed copies to
  ``DIR/notebooks/`` (``DIR-notebooks/`` beside one experiment's folder, or ``--out``); the
  comparison notebook compares OLD with DIR.

Before the notebooks, the tests in notebooks/tests check the notebooks' statistics against the
harness's files in the same folder.

What the freshness check compares, per cell: the cell type, the source and every output (printed
text, errors, and each MIME type of rich outputs: tables as HTML and text, Markdown, figures). It
ignores what changes on every execution (execution counts, cell ids, timestamps in cell metadata,
kernel and Python version in the notebook metadata) and what the standard error stream says
(warnings, matplotlib's font-cache notice: the environment, not the data), which is not stored. Figures are PNG; matplotlib writes the same bytes for the same figure, so they are
compared byte for byte when the stored notebook was executed with the same matplotlib version (its
metadata records it) and otherwise pixel by pixel: same size and a root-mean-square difference of at
most 2 on the 0..255 scale (matplotlib's own test tolerance), so a newer matplotlib does not fail
the check but a moved bar or line does.

Exit codes: 0 every notebook ran (and, in check mode, matches); 1 a notebook failed, timed out or
is stale, or a test failed; 2 bad input or missing packages (the message names the install command).
"""

import argparse
import base64
import copy
import importlib
import io
import json
import os
import signal
import sys
import tempfile
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COMMITTED = REPO / "results"

#: import name -> Debian package, in the order the install command names them.
PACKAGES = {
    "nbformat": "python3-nbformat",
    "nbclient": "python3-nbclient",
    "nbconvert": "jupyter-nbconvert",
    "ipykernel": "python3-ipykernel",
    "pandas": "python3-pandas",
    "matplotlib": "python3-matplotlib",
    "scipy": "python3-scipy",
}
DEBIAN = ["jupyter-nbconvert", "python3-nbclient", "python3-ipykernel", "python3-pandas", "python3-matplotlib", "python3-scipy"]
INSTALL = "sudo apt-get install -y " + " ".join(DEBIAN)
PIP = "python3 -m pip install nbclient nbconvert ipykernel pandas matplotlib scipy"

#: Volatile notebook metadata: dropped before comparing and storing.
VOLATILE_NB_METADATA = ("language_info", "widgets", "papermill")
RMS_TOLERANCE = 2.0


def say(msg):
    print(f"testbed notebooks: {msg}", file=sys.stderr, flush=True)


def missing_packages():
    missing = []
    for module, package in PACKAGES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append((module, package))
    return missing


def notebooks(only):
    found = sorted(HERE.glob("*.ipynb"))
    if only:
        names = {n.removesuffix(".ipynb") for n in only}
        unknown = names - {p.stem for p in found}
        if unknown:
            raise SystemExit(usage_error(f"unknown notebook(s) {', '.join(sorted(unknown))}; allowed: "
                                         + ", ".join(p.stem for p in found)))
        found = [p for p in found if p.stem in names]
    return found


def usage_error(msg):
    say(msg)
    return 2


# ------------------------------------------------------------------ execution


class Timeout(BaseException):
    """The overall --timeout ran out (a BaseException, so that no library's ``except Exception`` swallows it)."""


def kernel_spec_dir():
    """A kernel spec "python3" that starts this interpreter, so the kernel has the packages checked above.

    (On these machines the first python3 on PATH is a pyenv shim without them.)
    """
    d = Path(tempfile.mkdtemp(prefix="testbed-kernel-"))
    spec = d / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python"}))
    return d


def execute(path, cell_timeout):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(HERE)}})
    client.execute()
    return nb


def environment(results, baseline):
    """The kernel's environment: the folders to read and everything that keeps outputs deterministic."""
    for v in ("TESTBED_RESULTS", "TESTBED_BASELINE"):
        os.environ.pop(v, None)
    if results is not None:
        os.environ["TESTBED_RESULTS"] = str(results)
    if baseline is not None:
        os.environ["TESTBED_BASELINE"] = str(baseline)
    os.environ.update({"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0", "TZ": "UTC",
                       "MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    os.environ.pop("PYTHONSTARTUP", None)


# ------------------------------------------------------------------ comparison


def clean(nb):
    """The notebook without volatile metadata, as stored (execution counts renumbered from 1)."""
    import matplotlib

    nb = copy.deepcopy(nb)
    for k in VOLATILE_NB_METADATA:
        nb.metadata.pop(k, None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["testbed"] = {"matplotlib": matplotlib.__version__,
                              "note": "outputs regenerated from results/ by ./testbed notebooks --store"}
    n = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            n += 1
            cell.execution_count = n
            # stderr says something about the environment (a warning, the font cache), not the data
            cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            for o in cell.outputs:
                if "execution_count" in o:
                    o["execution_count"] = n
    return nb


def comparable(cell):
    outs = []
    for o in cell.get("outputs", []):
        t = o["output_type"]
        if t == "stream":
            if o["name"] == "stderr":
                continue
            outs.append(("stream", o["name"], o["text"]))
        elif t == "error":
            outs.append(("error", o["ename"], o["evalue"]))
        else:
            outs.append((t, dict(o.get("data", {}))))
    # consecutive stream chunks of one name are one text however the kernel split them
    merged = []
    for o in outs:
        if merged and o[0] == "stream" and merged[-1][0] == "stream" and merged[-1][1] == o[1]:
            merged[-1] = ("stream", o[1], merged[-1][2] + o[2])
        else:
            merged.append(o)
    return cell.cell_type, cell.source, merged


def image_difference(stored_b64, fresh_b64, exact):
    """None when the two PNGs are the same figure, else why not."""
    if stored_b64 == fresh_b64:
        return None
    if exact:
        return "the figure differs (same matplotlib version, so it should be the same bytes)"
    import numpy as np
    from matplotlib import image

    a = image.imread(io.BytesIO(base64.b64decode(stored_b64)), format="png")
    b = image.imread(io.BytesIO(base64.b64decode(fresh_b64)), format="png")
    if a.shape != b.shape:
        return f"the figure's size differs ({a.shape[1]}x{a.shape[0]} stored, {b.shape[1]}x{b.shape[0]} now)"
    rms = float(np.sqrt(np.mean((a.astype(float) * 255 - b.astype(float) * 255) ** 2)))
    return None if rms <= RMS_TOLERANCE else f"the figure differs (RMS {rms:.2f} > {RMS_TOLERANCE} on 0..255)"


def differences(stored, fresh):
    """The differences between a stored notebook and a fresh execution, as lines (empty when fresh)."""
    import matplotlib

    exact = stored.metadata.get("testbed", {}).get("matplotlib") == matplotlib.__version__
    if len(stored.cells) != len(fresh.cells):
        return [f"{len(stored.cells)} cells stored, {len(fresh.cells)} executed"]
    out = []
    for i, (s, f) in enumerate(zip(stored.cells, fresh.cells), 1):
        ts, ss, os_ = comparable(s)
        tf, sf, of = comparable(f)
        if (ts, ss) != (tf, sf):
            out.append(f"cell {i}: source differs")
            continue
        if len(os_) != len(of):
            out.append(f"cell {i}: {len(os_)} outputs stored, {len(of)} now")
            continue
        for a, b in zip(os_, of):
            if a[0] != b[0] or (a[0] in ("stream", "error") and a != b):
                out.append(f"cell {i}: output differs: stored {first_line(a)!r}, now {first_line(b)!r}")
                break
            if a[0] in ("stream", "error"):
                continue
            da, db = a[1], b[1]
            if set(da) != set(db):
                out.append(f"cell {i}: output types differ ({sorted(da)} stored, {sorted(db)} now)")
                break
            why = None
            for mime in da:
                if mime == "image/png":
                    why = image_difference(da[mime].strip(), db[mime].strip(), exact)
                elif da[mime] != db[mime]:
                    why = f"{mime} differs: stored {first_line(('', da[mime]))!r}, now {first_line(('', db[mime]))!r}"
                if why:
                    break
            if why:
                out.append(f"cell {i}: {why}")
                break
    return out


def first_line(o):
    text = o[-1]
    if isinstance(text, dict):
        text = text.get("text/plain", "")
    if isinstance(text, list):
        text = "".join(text)
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[0][:120] if lines else ""


# ------------------------------------------------------------------ main


def run_tests(results):
    say(f"tests: the notebooks' statistics against the harness's files in {results}")
    os.environ["TESTBED_RESULTS"] = str(results)
    suite = unittest.defaultTestLoader.discover(str(HERE / "tests"))
    ok = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite).wasSuccessful()
    return ok


def main(argv):
    p = argparse.ArgumentParser(prog="testbed notebooks", description=__doc__.split("\n\n")[0])
    p.add_argument("results", nargs="?", help="a results folder (default: the committed results/, checked against the stored outputs)")
    p.add_argument("--baseline", help="the folder the comparison notebook compares RESULTS with (default: two experiments of one workload in RESULTS)")
    p.add_argument("--store", action="store_true", help="write the outputs into notebooks/*.ipynb (only against the committed results/)")
    p.add_argument("--out", help="where executed copies go when RESULTS is given (default RESULTS/notebooks, or RESULTS-notebooks beside one experiment's folder)")
    p.add_argument("--only", help="comma-separated notebook names (default: all)")
    p.add_argument("--cell-timeout", type=int, default=600, help="seconds one cell may run (default 600)")
    p.add_argument("--timeout", type=int, default=1800, help="seconds all notebooks may run together (default 1800)")
    p.add_argument("--check-packages", action="store_true", help="only check that the packages are installed")
    a = p.parse_args(argv)

    missing = missing_packages()
    if missing:
        say(f"missing Python packages for {sys.executable}: " + ", ".join(f"{m} ({pkg})" for m, pkg in missing)
            + f". Install them with: {INSTALL}   (elsewhere: {PIP})")
        return 2
    if a.check_packages:
        return 0
    import matplotlib.font_manager  # noqa: F401  builds matplotlib's font cache once, before any kernel would announce it
    if a.cell_timeout <= 0 or a.timeout <= 0:
        return usage_error("--cell-timeout and --timeout take a positive number of seconds")

    results = Path(a.results).resolve() if a.results else COMMITTED
    if not results.is_dir():
        return usage_error(f"results folder {a.results or results} does not exist; give a folder written by ./testbed run or reproduce")
    committed = results == COMMITTED.resolve()
    if a.store and not committed:
        return usage_error("--store writes the committed notebooks, whose outputs must come from results/: give no RESULTS_DIR")
    if a.store and a.baseline:
        return usage_error("--store takes no --baseline: the stored comparison is the default one")
    if committed and a.baseline and not a.out:
        return usage_error("--baseline against the committed results/ needs --out DIR: nothing is written into results/")
    baseline = Path(a.baseline).resolve() if a.baseline else None
    if baseline is not None and not baseline.is_dir():
        return usage_error(f"baseline folder {a.baseline} does not exist")
    todo = notebooks(a.only.split(",") if a.only else [])
    out = None
    if not committed or baseline is not None:
        # A folder of experiments takes the executed copies in notebooks/ (skipped when experiments are
        # looked for); beside one experiment's folder they go to NAME-notebooks/, since a sub-folder in
        # it would be a foreign file to the next run into that folder.
        single = (results / "metadata.json").is_file()
        default = results.parent / f"{results.name}-notebooks" if single else results / "notebooks"
        out = Path(a.out).resolve() if a.out else default
        out.mkdir(parents=True, exist_ok=True)

    import nbformat

    deadline = time.monotonic() + a.timeout

    timed_out = []

    def on_alarm(signum, frame):
        # Raised into whatever runs; a test runner or a library may catch it, so the flag is checked too.
        timed_out.append(True)
        raise Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    # The overall budget is enforced through each cell's timeout (nbclient then stops the kernel
    # cleanly); the alarm, a few seconds later, stops whatever still runs (the tests, a long cell, a kernel that never starts).
    signal.alarm(a.timeout + 5)
    failed = []
    try:
        if not run_tests(results):
            failed.append("tests")
        if timed_out or time.monotonic() >= deadline:
            raise Timeout()
        # Against the committed results the notebooks read their default folder, so that the stored
        # outputs name ../results and not this checkout's absolute path.
        environment(None if committed else results, baseline)
        os.environ["JUPYTER_PATH"] = str(kernel_spec_dir()) + os.pathsep + os.environ.get("JUPYTER_PATH", "")
        for path in todo:
            start = time.monotonic()
            name = path.name
            remaining = int(deadline - time.monotonic())
            if remaining <= 0:
                raise Timeout()
            try:
                fresh = clean(execute(path, min(a.cell_timeout, remaining)))
            except Timeout:
                raise
            except Exception as e:  # a cell failed or timed out: its error is the report
                if timed_out or time.monotonic() >= deadline:
                    failed.append(name)
                    raise Timeout()
                failed.append(name)
                say(f"{name}: FAILED: {one_line(e)}")
                continue
            took = time.monotonic() - start
            if out is not None:
                nbformat.write(fresh, out / name)
                say(f"{name}: ran in {took:.0f} s against {results} -> {out / name}")
            elif a.store:
                nbformat.write(fresh, path)
                say(f"{name}: ran in {took:.0f} s; outputs stored")
            else:
                diff = differences(nbformat.read(path, as_version=4), fresh)
                if diff:
                    failed.append(name)
                    say(f"{name}: STALE: its stored outputs differ from a fresh execution against results/: "
                        + "; ".join(diff[:3]) + (f" (+{len(diff) - 3} more)" if len(diff) > 3 else ""))
                else:
                    say(f"{name}: ran in {took:.0f} s; stored outputs are fresh")
    except Timeout:
        say(f"timed out after {a.timeout} s (--timeout); {len(failed)} failure(s) before that"
            + (f": {', '.join(failed)}" if failed else "") + ". Give more time with --timeout SECONDS.")
        return 1
    finally:
        signal.alarm(0)
    if failed:
        stale_hint = "" if a.store or out is not None else " (stale outputs: refresh them with ./testbed notebooks --store)"
        say(f"{len(failed)} of {len(todo) + 1} check(s) failed: {', '.join(failed)}{stale_hint}")
        return 1
    say(f"{len(todo)} notebook(s) ran" + (f" in {time.monotonic() - (deadline - a.timeout):.0f} s" if todo else ""))
    return 0


def one_line(e):
    lines = [line for line in str(e).splitlines() if line.strip() and not line.startswith("---")]
    # nbclient's CellExecutionError ends with the exception line; its CellTimeoutError starts with what happened
    pick = (lines[0] if "Timeout" in type(e).__name__ else lines[-1]) if lines else ""
    return f"{type(e).__name__}: {pick[:300]}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
