package org.ipctestbed.experiments.claims;

/** The outcome of a claim, or of one hypothesis of a claim, as {@link Evidence} computes it. */
public enum Verdict {
  /** The whole 95% interval of the effect lies on the claimed side of the bound. */
  SUPPORTED("supported"),
  /** The whole 95% interval lies on the other side: the claimed effect is ruled out. */
  NOT_SUPPORTED("not supported"),
  /** The interval straddles the bound, or there are too few repetitions for an interval. */
  INCONCLUSIVE("inconclusive"),
  /** An experiment the claim needs has no results in the results root. */
  NOT_RUN("not run");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** How reports print it. */
  public String label() {
    return label;
  }

  /**
   * A claim's verdict from its hypotheses': not run when any was not run; not supported when any is
   * not supported; supported when every one is; inconclusive otherwise.
   */
  public static Verdict combine(java.util.List<Verdict> parts) {
    if (parts.isEmpty() || parts.contains(NOT_RUN)) {
      return NOT_RUN;
    }
    if (parts.contains(NOT_SUPPORTED)) {
      return NOT_SUPPORTED;
    }
    return parts.stream().allMatch(v -> v == SUPPORTED) ? SUPPORTED : INCONCLUSIVE;
  }
}
