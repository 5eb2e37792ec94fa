package org.ipctestbed.experiments.workload;

/**
 * A figure a design's authors published that a workload's metric should reproduce: on cost model
 * {@code costModel}, the median of {@code metric} for {@code mechanism} should be {@code ns}. The
 * harness records the figures that match a run's cost model in metadata.json, and the report shows
 * each beside the measured value with the difference in percent.
 *
 * @param metric the latency metric
 * @param mechanism the strategy whose figure it is
 * @param costModel the cost-model preset that models the machine of the publication
 * @param ns the published figure, in ns
 * @param source where it was published (one line)
 */
public record PublishedFigure(String metric, String mechanism, String costModel, double ns, String source) {}
