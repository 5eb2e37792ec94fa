package org.ipctestbed.experiments.claims;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipctestbed.experiments.charts.ClaimFigure;
import org.ipctestbed.experiments.claims.ClaimResult.Group;
import org.ipctestbed.experiments.claims.ClaimResult.Part;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.ipctestbed.experiments.results.Csv;
import org.ipctestbed.experiments.results.Json;

/**
 * Writes {@code ROOT/claims/}: {@code README.md} (one section per claim: the claim and its source, each
 * hypothesis as tested with its figure, numbers with 95% intervals, test, verdict, and the threats to
 * validity), {@code claims.csv} and {@code claims.json} (one row per hypothesis), and one PNG per
 * hypothesis. Everything in it is computed by {@link Claims} from the experiment folders, so a change in a
 * mechanism that flips a verdict shows in the next {@code reproduce} and in the diff of these files.
 */
public final class ClaimsReport {
  private ClaimsReport() {}

  /** Folder name under the results root. */
  public static final String FOLDER = "claims";

  static final String HEAD = "# Claims of the two designs: computed verdicts";

  /** Columns of claims.csv. */
  static final List<String> COLUMNS = List.of("claim", "title", "claim_verdict", "hypothesis", "decides", "verdict",
      "effect", "unit", "estimate", "ci95_low", "ci95_high", "test", "statistic", "df", "p_one_sided", "bound",
      "bound_upper", "n_a", "n_b", "not_run");

  /**
   * Evaluates the claims against {@code root} and writes {@code root/claims/}.
   *
   * @return the claims, in order
   * @throws IllegalArgumentException when {@code root/claims/README.md} exists and was not written here
   */
  public static List<ClaimResult> write(Path root) {
    Path dir = root.resolve(FOLDER);
    Path readme = dir.resolve("README.md");
    if (Files.exists(readme) && !writtenHere(readme)) {
      throw new IllegalArgumentException(readme + " was not written by the claims report; move it away or choose another results root");
    }
    List<ClaimResult> claims = Claims.evaluate(root);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    boolean quick = quick(root);
    List<String> figures = new ArrayList<>();
    for (ClaimResult c : claims) {
      for (Part p : c.parts()) {
        if (p.notRun() == null && !p.groups().isEmpty()) {
          String name = figureName(c, p);
          ClaimFigure.save(dir.resolve(name), c.number() + ". " + c.title() + ": " + p.id(), p.effect().isEmpty() ? p.unit()
              : p.unit(), p.groups().stream().map(Group::label).toList(),
              p.groups().stream().map(g -> g.summary().mean()).toList(),
              p.groups().stream().map(g -> g.summary().ciHalfWidth()).toList());
          figures.add(name);
        }
      }
    }
    removeStaleFigures(dir, figures);
    AtomicFiles.writeString(dir.resolve("claims.csv"), Csv.format(COLUMNS, csvRows(claims)));
    AtomicFiles.writeString(dir.resolve("claims.json"), Json.write(json(claims, quick)));
    AtomicFiles.writeString(readme, markdown(claims, quick));
    return claims;
  }

  static String figureName(ClaimResult c, Part p) {
    return "claim" + c.number() + "-" + p.id() + ".png";
  }

  private static boolean writtenHere(Path readme) {
    try {
      return Files.readString(readme).startsWith(HEAD);
    } catch (IOException e) {
      return false;
    }
  }

  private static void removeStaleFigures(Path dir, List<String> keep) {
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith("claim") && n.endsWith(".png") && !keep.contains(n)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot tidy " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether the claim experiments under {@code root} were run with {@code --quick}. */
  static boolean quick(Path root) {
    for (String name : Claims.EXPERIMENTS) {
      Path meta = root.resolve(name).resolve("metadata.json");
      if (Files.isRegularFile(meta)) {
        try {
          Object o = Json.read(meta);
          if (o instanceof Map<?, ?> m && String.valueOf(m.get("commandLine")).contains("--quick")) {
            return true;
          }
        } catch (IllegalArgumentException e) {
          // a damaged metadata.json says nothing about quickness; the claim that reads the folder reports it
        }
      }
    }
    return false;
  }

  private static List<List<String>> csvRows(List<ClaimResult> claims) {
    List<List<String>> rows = new ArrayList<>();
    for (ClaimResult c : claims) {
      for (Part p : c.parts()) {
        Evidence e = p.evidence();
        List<String> r = new ArrayList<>(List.of(Integer.toString(c.number()), c.title(), c.verdict().label(), p.id(),
            p.context() ? "no" : "yes", p.verdict().label(), p.effect(), p.unit()));
        if (e == null) {
          for (int i = 0; i < 11; i++) {
            r.add("");
          }
        } else {
          r.addAll(List.of(Csv.number(e.effect()), Csv.number(e.ciLow()), Csv.number(e.ciHigh()), e.test(),
              Csv.number(e.statistic()), Csv.number(e.df()), Csv.number(e.p()), e.direction().symbol() + " "
                  + Csv.number(e.bound()), Csv.number(e.upper()), Integer.toString(e.nA()), Integer.toString(e.nB())));
        }
        r.add(p.notRun() == null ? "" : p.notRun());
        rows.add(r);
      }
    }
    return rows;
  }

  private static Map<String, Object> json(List<ClaimResult> claims, boolean quick) {
    List<Object> cs = new ArrayList<>();
    for (ClaimResult c : claims) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", c.number());
      m.put("title", c.title());
      m.put("claim", c.claim());
      m.put("source", c.source());
      m.put("experiments", c.experiments());
      m.put("verdict", c.verdict().label());
      m.put("threats", c.threats());
      List<Object> ps = new ArrayList<>();
      for (Part p : c.parts()) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("id", p.id());
        pm.put("hypothesis", p.hypothesis());
        pm.put("decides", !p.context());
        pm.put("verdict", p.verdict().label());
        if (p.notRun() != null) {
          pm.put("notRun", p.notRun());
        } else {
          Evidence e = p.evidence();
          pm.put("effect", p.effect());
          pm.put("unit", p.unit());
          pm.put("estimate", finite(e.effect()));
          pm.put("ci95", java.util.Arrays.asList(finite(e.ciLow()), finite(e.ciHigh())));
          pm.put("test", e.test());
          pm.put("statistic", Evidence.num(e.statistic()));
          pm.put("df", finite(e.df()));
          pm.put("pOneSided", finite(e.p()));
          pm.put("hypothesisAsInequality", e.inequality());
          pm.put("nA", e.nA());
          pm.put("nB", e.nB());
          pm.put("figure", figureName(c, p));
          List<Object> gs = new ArrayList<>();
          for (Group g : p.groups()) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("label", g.label());
            gm.put("n", g.summary().n());
            gm.put("mean", finite(g.summary().mean()));
            gm.put("ci95", java.util.Arrays.asList(finite(g.summary().ciLow()), finite(g.summary().ciHigh())));
            gs.add(gm);
          }
          pm.put("samples", gs);
        }
        ps.add(pm);
      }
      m.put("hypotheses", ps);
      cs.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("quick", quick);
    root.put("rule", RULE);
    root.put("claims", cs);
    return root;
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? (Object) v : null;
  }

  static final String RULE = "supported when the whole 95% interval of the effect lies on the claimed side of the bound "
      + "(inside the range for a range); not supported when it lies wholly on the other side (outside the range); "
      + "inconclusive when it contains the bound or a side has fewer than two repetitions; a claim is supported when all "
      + "its deciding hypotheses are, not supported when any is not, not run when an experiment it needs is missing, "
      + "inconclusive otherwise";

  static String markdown(List<ClaimResult> claims, boolean quick) {
    StringBuilder sb = new StringBuilder(HEAD).append("\n\n");
    sb.append("Written by `./testbed claims` (run at the end of `./testbed reproduce`) from the experiment folders beside ")
        .append("this one; regenerated on every reproduce, never edited by hand. Each claim of K42's PPC and DragonFly's ")
        .append("LWKT messages (issue 15) is a set of hypotheses tested across the seeded repetitions of the reference ")
        .append("experiments; a claim the testbed finds false is a result, not a failure. Data: `claims.csv` and ")
        .append("`claims.json` (one row per hypothesis); one figure per hypothesis (bars: mean across repetitions; error ")
        .append("bars: 95% Student-t interval).\n\n");
    if (quick) {
      sb.append("> These verdicts come from **quick** results (fewer operations and repetitions): they check the ")
          .append("pipeline, they are not conclusions.\n\n");
    }
    sb.append("**Tests.** Repetitions run with distinct seeds, so their values are independent; each is an aggregate over ")
        .append("many operations, so Student-t inference on them is apt (research/anchors.md C.3). Two designs or two ")
        .append("conditions: Welch's unequal-variance t-test (their spreads differ by orders of magnitude). One design ")
        .append("against a bound the claim names: one-sample t. A value against a published range: two one-sided tests ")
        .append("(TOST). p is one-sided, in the claim's direction (TOST: the larger of its two). Deterministic counts ")
        .append("(identical in every repetition) have a zero-width interval and an exact verdict.\n\n");
    sb.append("**Verdict rule.** ").append(Character.toUpperCase(RULE.charAt(0))).append(RULE.substring(1)).append(". ")
        .append("Hypotheses marked *context* are reported for comparison and do not decide the verdict.\n\n");
    sb.append("| # | claim | verdict | deciding hypotheses supported |\n|---|---|---|---|\n");
    for (ClaimResult c : claims) {
      long decide = c.parts().stream().filter(p -> !p.context()).count();
      long ok = c.parts().stream().filter(p -> !p.context() && p.verdict() == Verdict.SUPPORTED).count();
      sb.append("| ").append(c.number()).append(" | [").append(c.title()).append("](#").append(anchor(c)).append(") | **")
          .append(c.verdict().label()).append("** | ").append(ok).append(" of ").append(decide).append(" |\n");
    }
    sb.append('\n');
    for (ClaimResult c : claims) {
      sb.append("## ").append(c.number()).append(". ").append(c.title()).append(": ").append(c.verdict().label())
          .append("\n\n");
      sb.append("**Claim.** ").append(c.claim()).append(" *Source:* ").append(c.source()).append(".\n\n");
      sb.append("**Experiments:** ");
      List<String> links = new ArrayList<>();
      for (String e : c.experiments()) {
        links.add("[`" + e + "`](../" + e + "/report.md)");
      }
      sb.append(String.join(", ", links)).append(".\n\n");
      for (Part p : c.parts()) {
        sb.append("### ").append(p.id()).append(p.context() ? " (context)" : "").append(": ").append(p.verdict().label())
            .append("\n\n");
        sb.append("*Hypothesis.* ").append(p.hypothesis()).append("\n\n");
        if (p.notRun() != null) {
          sb.append("**Not run**: ").append(p.notRun()).append(". Run `./testbed reproduce` (or `--only` the experiment), ")
              .append("then `./testbed claims`.\n\n");
          continue;
        }
        Evidence e = p.evidence();
        sb.append("| sample | n | mean | 95% CI |\n|---|---|---|---|\n");
        for (Group g : p.groups()) {
          sb.append("| ").append(g.label()).append(" | ").append(g.summary().n()).append(" | ")
              .append(Evidence.num(g.summary().mean())).append(" | [").append(Evidence.num(g.summary().ciLow()))
              .append(", ").append(Evidence.num(g.summary().ciHigh())).append("] |\n");
        }
        sb.append('\n');
        sb.append("Effect: ").append(p.effect()).append(" = **").append(Evidence.num(e.effect())).append("** ")
            .append(p.unit()).append(", 95% CI [").append(Evidence.num(e.ciLow())).append(", ")
            .append(Evidence.num(e.ciHigh())).append("]; hypothesis ").append(e.inequality()).append(". ")
            .append(e.test()).append(": t = ").append(Evidence.num(e.statistic()))
            .append(Double.isNaN(e.df()) ? "" : ", df = " + Evidence.num(e.df())).append(", one-sided p = ")
            .append(Evidence.pValue(e.p())).append(" (n = ").append(e.nA()).append(e.nB() > 0 ? " and " + e.nB() : "")
            .append("). Verdict: **").append(p.verdict().label()).append("**.\n\n");
        if (!p.groups().isEmpty()) {
          sb.append("![").append(p.id()).append("](").append(figureName(c, p)).append(")\n\n");
        }
      }
      sb.append("**Threats to validity.** ").append(c.threats()).append("\n\n");
    }
    return sb.toString();
  }

  private static String anchor(ClaimResult c) {
    return (c.number() + "-" + c.title() + "-" + c.verdict().label()).toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
  }
}
