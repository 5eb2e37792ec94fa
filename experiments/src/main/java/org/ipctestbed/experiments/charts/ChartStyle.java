package org.ipctestbed.experiments.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One look for every chart, readable in black and white (issue 6, "Charts"): series differ by gray
 * level, marker shape and line dash, not by hue alone; white background; axis titles with units.
 */
final class ChartStyle {
  private ChartStyle() {}

  static final int WIDTH = 800;
  static final int HEIGHT = 500;

  /** Dark to light, each step a clearly different luminance when printed. */
  static final Color[] GRAYS = {
    new Color(0x10, 0x10, 0x10), new Color(0x80, 0x80, 0x80), new Color(0x48, 0x48, 0x48),
    new Color(0xB8, 0xB8, 0xB8), new Color(0x28, 0x28, 0x28), new Color(0x98, 0x98, 0x98),
    new Color(0x60, 0x60, 0x60), new Color(0xD0, 0xD0, 0xD0)
  };

  static final Marker[] MARKERS = {
    SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
    SeriesMarkers.CROSS, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE
  };

  static final BasicStroke[] LINES = {
    new BasicStroke(1.6f),
    new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 4f}, 0f),
    new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f),
    new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 3f, 2f, 3f}, 0f),
  };

  static final BasicStroke IDEAL =
      new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f);

  private static void common(org.knowm.xchart.style.AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(Color.BLACK);
    s.setPlotGridLinesColor(new Color(0xE4, 0xE4, 0xE4));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setLegendBorderColor(Color.GRAY);
    s.setSeriesColors(GRAYS);
    s.setSeriesMarkers(MARKERS);
    s.setSeriesLines(LINES);
    s.setAntiAlias(true);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
  }

  static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    common(c.getStyler());
    c.getStyler().setErrorBarsColor(Color.BLACK);
    c.getStyler().setMarkerSize(7);
    return c;
  }

  static CategoryChart category(String title, String xTitle, String yTitle) {
    CategoryChart c =
        new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    common(c.getStyler());
    c.getStyler().setErrorBarsColor(Color.BLACK);
    c.getStyler().setAvailableSpaceFill(0.8);
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisDecimalPattern("#,##0.###");
    return c;
  }
}
