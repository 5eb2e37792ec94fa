"""Reading IPC Testbed results folders from the notebooks (issue 16).

Only what the harness writes is read: results.csv, summary.csv, significance.csv, metadata.json and
percentiles.csv (the .hlog latency distributions as CSV). The statistics are the harness's own, so
that a notebook's numbers are the numbers in the harness's charts and summary.csv:

* ``summarize``: mean, sample standard deviation and the Student-t 95 % interval across repetitions,
  as ``Stats.summarize`` computes summary.csv and the error bars of every chart;
* ``value_at_percentile``: HdrHistogram's ``getValueAtPercentile`` on one repetition's rows of
  percentiles.csv, so p50 ... max come out exactly as in results.csv;
* ``merged_distribution``: the repetitions' counts summed per value, the distribution the ``cdf``
  chart draws.

Nothing here knows an experiment, mechanism or parameter by name: every notebook reads what is
there, so new experiments and columns appear by themselves.
"""

import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as sps

#: Leading and trailing columns of results.csv; the workload's parameters stand between them.
HEAD = ["workload", "mechanism", "engine", "cost_model", "policy", "cpus"]
TAIL = ["rep", "seed", "metric", "subject", "stat", "value", "unit"]
#: The percentile statistics of results.csv, in the order the harness's chart draws them.
PERCENTILES = ["p50", "p90", "p99", "p99.9", "max"]
#: The ``schema`` field of every metadata.json the harness writes.
SCHEMA = "ipc-testbed-results"
#: The environment variables ``./testbed notebooks`` sets.
RESULTS_ENV = "TESTBED_RESULTS"
BASELINE_ENV = "TESTBED_BASELINE"
#: The folder read when the environment names none: the committed reference results.
DEFAULT_RESULTS = Path("..") / "results"


def results_folder(env=RESULTS_ENV, default=DEFAULT_RESULTS):
    """The folder named by the environment variable ``env``, or ``default``, checked to exist."""
    folder = Path(os.environ.get(env) or default)
    if not folder.is_dir():
        raise FileNotFoundError(f"results folder {folder} does not exist (set {env} or run ./testbed notebooks DIR)")
    return folder


def is_experiment(folder):
    """Whether ``folder`` is one experiment's results: a testbed metadata.json and a results.csv."""
    folder = Path(folder)
    if not ((folder / "metadata.json").is_file() and (folder / "results.csv").is_file()):
        return False
    try:
        return json.loads((folder / "metadata.json").read_text()).get("schema") == SCHEMA
    except (ValueError, AttributeError, OSError):
        return False


def experiment_folders(root):
    """{name: folder} of the experiments in ``root``, sorted by name.

    ``root`` is either one experiment's folder (``./testbed run ... --out DIR``) or a folder of
    them (``results/``, as ``./testbed reproduce`` writes it). Sub-folders without results (bench/,
    claims/) are left out.
    """
    root = Path(root)
    if is_experiment(root):
        return {root.resolve().name: root}
    found = {}
    for meta in sorted(root.glob("**/metadata.json")):
        folder = meta.parent
        rel = folder.relative_to(root)
        # up to two levels (results/validation/null-rpc); not the executed notebooks' folder
        if len(rel.parts) <= 2 and "notebooks" not in rel.parts and is_experiment(folder):
            found[rel.as_posix()] = folder
    return dict(sorted(found.items()))


def param_columns(df):
    """The workload parameter columns of a results.csv-shaped frame (between ``cpus`` and ``rep``)."""
    cols = list(df.columns)
    start = cols.index("cpus") + 1
    end = cols.index("rep") if "rep" in cols else cols.index("metric")
    return cols[start:end]


def point_columns(df):
    """The columns that identify a point: engine, CPUs and every parameter."""
    return ["engine", "cpus"] + param_columns(df)


class Experiment:
    """One results folder read back: its tables as pandas frames and its metadata."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.name = self.folder.resolve().name
        self.metadata = json.loads((self.folder / "metadata.json").read_text())
        self.results = _read_csv(self.folder / "results.csv")
        self.params = param_columns(self.results)
        self.varying = list(self.metadata.get("varying") or [])
        self.workload = str(self.results["workload"].iloc[0]) if len(self.results) else self.metadata.get("workload")
        self.mechanisms = list(dict.fromkeys(self.results["mechanism"]))
        summary = self.folder / "summary.csv"
        self.summary = _read_csv(summary) if summary.is_file() else None
        significance = self.folder / "significance.csv"
        self.significance = _read_csv(significance) if significance.is_file() else None
        spectrum = self.folder / "percentiles.csv"
        self.percentiles = _read_csv(spectrum) if spectrum.is_file() else None

    @property
    def engines(self):
        return list(dict.fromkeys(self.results["engine"]))

    @property
    def cost_model(self):
        return (self.metadata.get("costModel") or {}).get("name", "?")

    def latency_metrics(self):
        """Metrics reported with a p50 in ns (``call``, ``send``, ``read``, ...), in first-seen order."""
        r = self.results
        return list(dict.fromkeys(r[(r["stat"] == "p50") & (r["unit"] == "ns")]["metric"]))

    def points(self):
        """The points (engine, CPUs, parameters) as a frame, one row each, in first-seen order."""
        return self.results[point_columns(self.results)].drop_duplicates().reset_index(drop=True)

    def label(self, point):
        """``k=v ...`` of the varying dimensions of ``point`` (a row of :meth:`points`), as the harness labels it."""
        return " ".join(f"{v}={point[v]}" for v in self.varying if v in point.index)

    def values(self, metric, stat, subject="", **where):
        """The repetition values of one measurement: a frame of the point columns, mechanism, rep and value."""
        r = self.results
        sel = (r["metric"] == metric) & (r["stat"] == stat) & (r["subject"] == subject)
        for k, v in where.items():
            sel &= r[k].astype(str) == str(v)
        return r[sel]

    def summarized(self, metric, stat, subject=""):
        """:func:`summarize` of every mechanism and point of one measurement, one row each."""
        rows = []
        keys = ["mechanism"] + point_columns(self.results)
        sel = self.values(metric, stat, subject)
        for key, g in sel.groupby(keys, sort=False):
            s = summarize(g["value"].to_numpy(dtype=float), metric)
            rows.append(dict(zip(keys, key), **s))
        df = pd.DataFrame(rows, columns=keys + list(summarize([]).keys()))
        df["point"] = [self.label(r) for _, r in df.iterrows()]
        return df

    def first_point(self):
        """The first point (a row of :meth:`points`) and its label: where the one-point figures look."""
        p = self.points().iloc[0]
        return p, self.label(p)

    def at(self, df, point):
        """The rows of ``df`` (results-shaped) at ``point`` (a row of :meth:`points`)."""
        sel = pd.Series(True, index=df.index)
        for k, v in point.items():
            if k in df.columns:
                sel &= df[k].astype(str) == str(v)
        return df[sel]

    def swept(self):
        """The varying parameters with numeric values (such as ``bytes`` or ``depth``), not the CPU count or engine."""
        out = []
        for v in self.varying:
            if v in ("cpus", "engine") or v not in self.results.columns:
                continue
            if pd.to_numeric(self.results[v].str.replace("_", ""), errors="coerce").notna().all():
                out.append(v)
        return out


def _read_csv(path):
    # Everything that names a thing stays text (subject "" is the empty string, not NaN), numbers are floats.
    df = pd.read_csv(path, keep_default_na=False, na_values=["NaN"], dtype=str)
    for c in ["value", "n", "mean", "sd", "median", "min", "max", "ci95_low", "ci95_high", "count",
              "cumulative_count", "total_count", "percentile", "n_a", "n_b", "mean_a", "mean_b",
              "ratio_b_to_a", "welch_t", "welch_p", "mann_whitney_u", "mann_whitney_p"]:
        if c in df.columns:
            df[c] = pd.to_numeric(df[c].replace({"inf": "Infinity", "-inf": "-Infinity"}), errors="coerce")
    for c in ["cpus", "rep", "seed"]:
        if c in df.columns:
            df[c] = df[c].astype(int)
    return df


def load(folder):
    """The :class:`Experiment` in ``folder``."""
    return Experiment(folder)


def load_all(root):
    """{name: Experiment} of every experiment under ``root`` (see :func:`experiment_folders`).

    A folder whose files do not have the columns this reads is left out with a line saying why, so
    that one odd folder does not stop a notebook.
    """
    out = {}
    for name, f in experiment_folders(root).items():
        try:
            out[name] = Experiment(f)
        except (KeyError, ValueError, IndexError) as e:
            print(f"left out {name}: its files are not in the layout these notebooks read ({type(e).__name__}: {e})")
    return out


def summarize(xs, metric=None):
    """n, mean, sd, median, min, max and the Student-t 95 % interval of ``xs``, as summary.csv has them.

    With fewer than two values the standard deviation and the interval are NaN; with no spread the
    interval is the mean itself. As the harness does (``Analysis.canBeNegative``), the interval of a
    quantity that cannot be negative (every metric but ``ledger_identity_error``) is cut at zero, and
    ``ci95_low_clamped`` says so.
    """
    xs = np.asarray(xs, dtype=float)
    n = len(xs)
    if n == 0:
        return dict(n=0, mean=math.nan, sd=math.nan, median=math.nan, min=math.nan, max=math.nan,
                    ci95_low=math.nan, ci95_high=math.nan, ci95_low_clamped=False)
    mean = float(np.mean(xs))
    if n < 2:
        sd = low = high = math.nan
    else:
        sd = float(np.std(xs, ddof=1))
        h = float(sps.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        low, high = mean - h, mean + h
    clamped = metric != "ledger_identity_error" and low < 0
    if clamped:
        low = 0.0
    return dict(n=n, mean=mean, sd=sd, median=float(np.median(xs)), min=float(np.min(xs)),
                max=float(np.max(xs)), ci95_low=low, ci95_high=high, ci95_low_clamped=clamped)


def value_at_percentile(rows, p):
    """HdrHistogram's ``getValueAtPercentile(p)`` on one repetition's rows of percentiles.csv.

    The value of the first row (in increasing value) whose cumulative count reaches
    ``max(1, ceil(p' / 100 * total))``, p' being p one ulp lower: exactly the p50 ... max of results.csv.
    """
    return values_at_percentiles(rows, [p])[0]


def values_at_percentiles(rows, ps):
    """:func:`value_at_percentile` for every percentile in ``ps`` at once (one sort, one search)."""
    rows = rows.sort_values("value")
    cumulative = rows["cumulative_count"].to_numpy()
    values = rows["value"].to_numpy(dtype=float)
    total = int(rows["total_count"].iloc[0])
    need = [max(1, math.ceil(np.nextafter(float(p), -math.inf) / 100.0 * total)) for p in ps]
    return [float(values[i]) for i in np.searchsorted(cumulative, need, side="left")]


def spectrum_key_columns(spectrum):
    """The columns of percentiles.csv that identify one repetition's distribution."""
    return ["mechanism"] + point_columns(spectrum) + ["rep", "metric"]


def percentile_table(exp, metric, ps, point=None):
    """Percentiles ``ps`` of ``metric`` per mechanism, point (or only ``point``) and repetition, from percentiles.csv."""
    s = exp.percentiles
    s = s[s["metric"] == metric]
    if point is not None:
        s = exp.at(s, point)
    out = []
    keys = spectrum_key_columns(s)
    for key, g in s.groupby(keys, sort=False):
        row = dict(zip(keys, key))
        row.update(zip(ps, values_at_percentiles(g, ps)))
        out.append(row)
    return pd.DataFrame(out)


def merged_distribution(exp, metric, mechanism, **where):
    """The repetitions of one mechanism and point merged: value, count and the fraction at or below.

    The same distribution the harness's ``cdf`` chart draws from the .hlog files.
    """
    s = exp.percentiles
    sel = (s["metric"] == metric) & (s["mechanism"] == mechanism)
    for k, v in where.items():
        sel &= s[k].astype(str) == str(v)
    d = s[sel].groupby("value", as_index=False)["count"].sum().sort_values("value")
    d["fraction"] = d["count"].cumsum() / d["count"].sum()
    return d.reset_index(drop=True)


def jain_index(xs):
    """Jain's fairness index (sum x)^2 / (n * sum x^2): 1 when all equal, 1/n when one has everything."""
    xs = np.asarray(xs, dtype=float)
    if len(xs) == 0 or not np.any(xs):
        return math.nan
    return float(xs.sum() ** 2 / (len(xs) * (xs ** 2).sum()))


def fmt_ns(ns):
    """A latency in ns, readable: 440 ns, 12.3 us, 4.56 ms."""
    if ns is None or (isinstance(ns, float) and math.isnan(ns)):
        return "n/a"
    if abs(ns) >= 1e6:
        return f"{ns / 1e6:.3g} ms"
    if abs(ns) >= 1e3:
        return f"{ns / 1e3:.3g} us"
    return f"{ns:.3g} ns"


def interval(s, fmt=fmt_ns):
    """``mean [low, high]`` of a :func:`summarize` result, or the mean alone when there is no interval."""
    if isinstance(s.get("ci95_low"), float) and not math.isnan(s["ci95_low"]) and s["ci95_low"] != s["ci95_high"]:
        return f"{fmt(s['mean'])} [{fmt(s['ci95_low'])}, {fmt(s['ci95_high'])}]"
    return fmt(s["mean"])


def setup_matplotlib():
    """Figures that are the same bytes on every execution: fixed size, resolution, fonts and SVG ids.

    The stored outputs of the notebooks are compared with a fresh execution's, so nothing in a
    figure may depend on the time, the host or a random id.
    """
    import matplotlib as mpl
    mpl.rcParams.update({
        "figure.figsize": (7.0, 4.0),
        "figure.dpi": 80,
        "savefig.dpi": 80,
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "svg.hashsalt": "ipc-testbed",
        "svg.fonttype": "none",
        "path.simplify": True,
    })
    try:
        from IPython import get_ipython
        ip = get_ipython()
        if ip is not None:
            ip.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
            ip.run_line_magic("config", "InlineBackend.rc = {}")
    except ImportError:
        pass
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_rows", 80)
    pd.set_option("display.float_format", lambda v: f"{v:.6g}")


#: Line styles, markers, gray levels and hatches per mechanism: figures read in black and white, as the harness's do.
LINESTYLES = ["-", "--", ":", "-."]
MARKERS = ["o", "s", "^", "D", "v", "P"]
GRAYS = ["0.15", "0.45", "0.7", "0.9", "0.3", "0.6"]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo"]


def style(i):
    """Line style, marker and colour for the ``i``-th mechanism's line."""
    return dict(linestyle=LINESTYLES[i % len(LINESTYLES)], marker=MARKERS[i % len(MARKERS)], color=GRAYS[i % 4])


def bar_style(i):
    """Fill, hatch and edge for the ``i``-th mechanism's bars."""
    return dict(color=GRAYS[i % len(GRAYS)], hatch=HATCHES[i % len(HATCHES)], edgecolor="black", linewidth=0.5)


def grid(n, ncols=3, height=3.0, width=11.0):
    """A figure with ``n`` panels in rows of ``ncols`` (unused panels hidden) and the list of the ``n`` axes."""
    import matplotlib.pyplot as plt
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    if ncols == 1:
        width = min(width, 6.5)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height * nrows), squeeze=False)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.axis("off")
    return fig, flat[:n]


def markdown(lines):
    """Displays ``lines`` as a Markdown list (the conclusions, computed from the data)."""
    from IPython.display import Markdown, display
    display(Markdown("\n".join(f"- {line}" for line in lines) if lines else "- (nothing to conclude: no data)"))


def plain_log_ticks(axis):
    """Tick labels on a logarithmic axis as plain numbers (1,000 not 10^3), with few minor labels."""
    from matplotlib import ticker
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    axis.set_minor_formatter(ticker.NullFormatter())


def lower_bounds(exp):
    """Mechanisms whose description in metadata.json calls them a lower bound (``direct-call``): not OS designs."""
    return [m.get("name") for m in exp.metadata.get("mechanisms", [])
            if "lower bound" in str(m.get("description", "")).lower()]


#: Columns that name a measurement rather than a setting of the run.
MEASUREMENT_COLUMNS = ["mechanism", "metric", "subject", "stat", "unit"]


def changed_settings(a, b):
    """{column: (value in a, value in b)} of the settings that differ as a whole, as ``./testbed compare`` finds them.

    A column that holds one value in ``a`` and another single value in ``b`` (the cost model, the
    policy, a parameter such as ``placement``) is a changed setting; measurements are matched
    without it.
    """
    out = {}
    for c in a.results.columns:
        if c in MEASUREMENT_COLUMNS or c in ("rep", "seed", "value") or c not in b.results.columns:
            continue
        va, vb = set(a.results[c].astype(str)), set(b.results[c].astype(str))
        if len(va) == 1 and len(vb) == 1 and va != vb:
            out[c] = (next(iter(va)), next(iter(vb)))
    return out


def match_keys(a, b):
    """The results.csv columns on which the measurements of ``a`` and ``b`` are matched."""
    dropped = set(changed_settings(a, b))
    return [c for c in a.results.columns if c not in ("rep", "seed", "value") and c not in dropped]


def shared_measurements(a, b):
    """How many measurements ``a`` and ``b`` have in common once their changed settings are set aside."""
    if list(a.results.columns) != list(b.results.columns):
        return 0
    keys = match_keys(a, b)
    ka = set(map(tuple, a.results[keys].astype(str).drop_duplicates().to_numpy()))
    kb = set(map(tuple, b.results[keys].astype(str).drop_duplicates().to_numpy()))
    return len(ka & kb)


def comparable_pair(experiments):
    """Two experiments of one workload and engine that share measurements, the fewest settings apart, or None."""
    names = list(experiments)
    best = None
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ea, eb = experiments[a], experiments[b]
            if ea.workload != eb.workload or ea.engines != eb.engines or not shared_measurements(ea, eb):
                continue
            rank = len(changed_settings(ea, eb))
            if best is None or rank < best[0]:
                best = (rank, a, b)
    return None if best is None else best[1:]
