package org.ipctestbed.experiments.charts;

import java.nio.file.Path;
import java.util.List;
import org.ipctestbed.experiments.results.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;

/**
 * The figure of one hypothesis of the claims report ({@code results/claims/}): one bar per sample
 * (mean across repetitions, 95% interval as the error bar), drawn in the house style of {@link ChartBook}.
 */
public final class ClaimFigure {
  private ClaimFigure() {}

  /**
   * Writes a PNG (150 dpi) to {@code png}.
   *
   * @param labels one per bar
   * @param means the bars
   * @param halfWidths the error bars (NaN: none)
   */
  public static void save(Path png, String title, String yTitle, List<String> labels, List<Double> means,
      List<Double> halfWidths) {
    CategoryChart c = ChartStyle.category(title, "", yTitle);
    double low = 0;
    double high = 0;
    List<Double> ys = means.stream().map(v -> Double.isFinite(v) ? v : 0.0).toList();
    List<Double> es = halfWidths.stream().map(v -> Double.isFinite(v) ? v : 0.0).toList();
    for (int i = 0; i < ys.size(); i++) {
      low = Math.min(low, ys.get(i) - es.get(i));
      high = Math.max(high, ys.get(i) + es.get(i));
    }
    c.getStyler().setYAxisMin(low < 0 ? low * 1.1 : 0.0);
    c.getStyler().setYAxisMax(high > 0 ? high * 1.1 : 1.0);
    c.getStyler().setLegendVisible(false);
    c.getStyler().setXAxisLabelRotation(20);
    c.addSeries("mean, 95% CI", labels, ys, es);
    AtomicFiles.writeVia(png, tmp -> BitmapEncoder.saveBitmapWithDPI(c, tmp.toString(), BitmapEncoder.BitmapFormat.PNG, 150));
  }
}
