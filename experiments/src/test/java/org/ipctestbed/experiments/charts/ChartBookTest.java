package org.ipctestbed.experiments.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChartBookTest {
  @Test
  void anAxisTopIsTheNextRoundNumberAboveTheDataWithSomeHeadroom() {
    assertEquals(8000, ChartBook.niceMax(6400));
    assertEquals(1.5, ChartBook.niceMax(1.0));
    assertEquals(1, ChartBook.niceMax(0));
    assertEquals(0.001, ChartBook.niceMax(0.0009), 1e-12);
  }
}
