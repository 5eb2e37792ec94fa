package org.ipctestbed.experiments.claims;

import java.util.List;
import org.ipctestbed.experiments.stats.Stats;

/**
 * One claim of the two designs as the claims report states it: the claim, where it comes from, the
 * hypotheses tested (its {@link Part}s), and the verdict computed from them by {@link Verdict#combine}.
 *
 * @param number 1 to 7, as in issue 15
 * @param title a few words
 * @param claim the claim in one sentence
 * @param source the research-note section it comes from
 * @param experiments the result folders it reads
 * @param parts the hypotheses tested; context parts are reported but do not decide the verdict
 * @param verdict the combined verdict of the non-context parts
 * @param threats what the model leaves out
 */
public record ClaimResult(
    int number, String title, String claim, String source, List<String> experiments, List<Part> parts, Verdict verdict,
    String threats) {

  /** A sample shown beside a test: one design's per-repetition values, summarised. */
  public record Group(String label, Stats.Summary summary) {}

  /**
   * One hypothesis.
   *
   * @param id short name, used in file names ({@code jain-common})
   * @param hypothesis the hypothesis as tested, in words
   * @param effect what the effect is ({@code Jain(ppc) - Jain(lwkt)})
   * @param unit the effect's unit
   * @param groups the samples behind it, for the table and the figure
   * @param evidence the test and its verdict ({@code null} when not run)
   * @param context true when reported for comparison only
   * @param notRun why it could not be computed ({@code null} when it was)
   */
  public record Part(
      String id, String hypothesis, String effect, String unit, List<Group> groups, Evidence evidence, boolean context,
      String notRun) {
    public Verdict verdict() {
      return notRun != null ? Verdict.NOT_RUN : evidence.verdict();
    }
  }

  /** The verdict of the hypotheses that decide (not the context ones). */
  static Verdict combine(List<Part> parts) {
    return Verdict.combine(parts.stream().filter(p -> !p.context()).map(Part::verdict).toList());
  }
}
