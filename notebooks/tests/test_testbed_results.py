"""The notebooks' numbers are the harness's numbers (issue 16).

Run by ``./testbed notebooks`` (and so by ``./testbed test``) before the notebooks, against the same
results folder (``TESTBED_RESULTS``, default the committed results/):

* every interval a notebook draws (``summarize`` of results.csv) equals summary.csv's, which the
  harness's charts draw;
* every p50 ... max recovered from percentiles.csv equals results.csv's, and the merged distribution
  is what the cdf chart draws (when the folder has percentiles.csv);
* Jain's index and the percentile rule on hand-made inputs.
"""

import math
import os
import sys
import unittest
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import testbed_results as tb  # noqa: E402

ROOT = Path(os.environ.get(tb.RESULTS_ENV) or Path(__file__).resolve().parent.parent.parent / "results")


def close(a, b, scale=0.0):
    """Equal to summary.csv's 10 significant digits (or both NaN).

    ``scale``: the magnitude the value was computed from. An interval bound is mean -+ half-width, and
    where the two nearly cancel (a bound of 41.45 from a mean of 41,112) the bound keeps only the
    digits the mean had to spare: it is compared to 1e-8 of the mean, not of itself.
    """
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return math.isclose(a, b, rel_tol=1e-8, abs_tol=max(1e-6, 1e-8 * scale))


class AgainstTheHarness(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.experiments = tb.load_all(ROOT)

    def test_the_results_folder_holds_experiments(self):
        self.assertTrue(self.experiments, f"no experiment folder (metadata.json + results.csv) under {ROOT}")

    def test_every_interval_equals_summary_csv(self):
        checked = 0
        for name, exp in self.experiments.items():
            if exp.summary is None:
                continue
            keys = [c for c in exp.summary.columns if c in exp.results.columns and c != "value"]
            mine = {k: tb.summarize(g.to_numpy(dtype=float), k[keys.index("metric")])
                    for k, g in exp.results.groupby(keys, sort=False)["value"]}
            for row in exp.summary.to_dict("records"):
                got = mine[tuple(row[k] for k in keys)]
                # A repetition without samples has NaN percentiles: then the mean and interval are NaN on
                # both sides, and Commons Math's min/max/median treat NaN in an order-dependent way not worth
                # copying (the notebook's median is NaN, summary.csv's a number from the other repetitions).
                stats = ["n", "mean", "sd", "ci95_low", "ci95_high"] if math.isnan(got["mean"]) else [
                    "n", "mean", "sd", "median", "min", "max", "ci95_low", "ci95_high"]
                for stat in stats:
                    scale = abs(float(row["mean"])) + abs(float(row["sd"])) if stat.startswith("ci95") else 0.0
                    self.assertTrue(close(float(got[stat]), float(row[stat]), scale),
                                    f"{name}: {stat} of {[row[k] for k in keys]}: notebook {got[stat]}, summary.csv {row[stat]}")
                checked += 1
        self.assertGreater(checked, 0)

    def test_every_percentile_of_results_csv_is_recovered_from_percentiles_csv(self):
        with_spectrum = {n: e for n, e in self.experiments.items() if e.percentiles is not None}
        if not with_spectrum:
            self.skipTest(f"no percentiles.csv under {ROOT} (written by runs since issue 16; ./testbed chart DIR adds it)")
        for name, exp in with_spectrum.items():
            for metric in exp.latency_metrics():
                table = tb.percentile_table(exp, metric, [50, 90, 99, 99.9, 100])
                r = exp.results[(exp.results["metric"] == metric) & (exp.results["unit"] == "ns")]
                keys = ["mechanism"] + tb.point_columns(exp.results) + ["rep"]
                wide = r.pivot_table(index=keys, columns="stat", values="value", aggfunc="first").reset_index()
                for c in ["cpus", "rep"]:
                    wide[c] = wide[c].astype(int)
                    table[c] = table[c].astype(int)
                both = wide.merge(table, on=keys, how="inner")
                self.assertEqual(len(both), len(wide), f"{name} {metric}: a repetition has no distribution")
                for stat, p in [("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9), ("max", 100)]:
                    diff = both[both[stat] != both[p]]
                    self.assertTrue(diff.empty, f"{name} {metric} {stat}: {diff[keys + [stat, p]].head()}")

    def test_the_merged_distribution_counts_every_sample_once(self):
        for name, exp in self.experiments.items():
            if exp.percentiles is None:
                continue
            for metric in exp.latency_metrics():
                counts = exp.values(metric, "count")
                for (mech, *point), g in counts.groupby(["mechanism"] + tb.point_columns(exp.results), sort=False):
                    where = dict(zip(tb.point_columns(exp.results), point))
                    d = tb.merged_distribution(exp, metric, mech, **where)
                    self.assertEqual(int(d["count"].sum()), int(g["value"].sum()), f"{name} {metric} {mech} {where}")
                    if len(d):  # a repetition without samples has no rows
                        self.assertEqual(d["fraction"].iloc[-1], 1.0)


class Rules(unittest.TestCase):
    def test_jain_index_is_one_for_equal_shares_and_one_over_n_for_one_taking_all(self):
        self.assertAlmostEqual(tb.jain_index([3, 3, 3, 3]), 1.0)
        self.assertAlmostEqual(tb.jain_index([1, 0, 0, 0]), 0.25)
        self.assertAlmostEqual(tb.jain_index([1, 2]), 9 / 10)

    def test_value_at_percentile_follows_hdrhistogram(self):
        # 10 samples: 4 at 100, 5 at 200, 1 at 900
        rows = pd.DataFrame({"value": [100, 200, 900], "count": [4, 5, 1], "cumulative_count": [4, 9, 10],
                             "total_count": [10, 10, 10]})
        self.assertEqual(tb.value_at_percentile(rows, 40), 100)  # ceil(4.0 - ulp) = 4: the 4th sample
        self.assertEqual(tb.value_at_percentile(rows, 41), 200)
        self.assertEqual(tb.value_at_percentile(rows, 90), 200)
        self.assertEqual(tb.value_at_percentile(rows, 99.9), 900)
        self.assertEqual(tb.value_at_percentile(rows, 100), 900)
        self.assertEqual(tb.value_at_percentile(rows, 0), 100)

    def test_summarize_has_no_interval_for_one_value_and_a_point_interval_without_spread(self):
        s = tb.summarize([5.0])
        self.assertTrue(math.isnan(s["ci95_low"]))
        s = tb.summarize([5.0, 5.0, 5.0])
        self.assertEqual((s["ci95_low"], s["ci95_high"]), (5.0, 5.0))
        s = tb.summarize(np.array([1.0, 2.0, 3.0]))
        self.assertAlmostEqual(s["ci95_high"] - s["mean"], 4.302652729911275 * 1.0 / math.sqrt(3))


if __name__ == "__main__":
    unittest.main()
