package org.ipctestbed.substrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoroutineTest {

  @Test
  void resumeRunsTheBodyUntilItSuspendsAndContinuesWhereItLeftOff() {
    List<String> trace = new ArrayList<>();
    Coroutine c =
        new Coroutine(
            () -> {
              trace.add("a");
              Coroutine.suspend();
              trace.add("b");
              Coroutine.suspend();
              trace.add("c");
            });
    assertFalse(c.resume());
    assertEquals(List.of("a"), trace);
    assertFalse(c.resume());
    assertEquals(List.of("a", "b"), trace);
    assertTrue(c.resume());
    assertEquals(List.of("a", "b", "c"), trace);
    assertTrue(c.isDone());
  }

  @Test
  void localVariablesSurviveASuspension() {
    long[] out = new long[1];
    Coroutine c =
        new Coroutine(
            () -> {
              long sum = 0;
              for (int i = 1; i <= 100; i++) {
                sum += i;
                Coroutine.suspend();
              }
              out[0] = sum;
            });
    int slices = 0;
    while (!c.resume()) {
      slices++;
    }
    assertEquals(100, slices);
    assertEquals(5050, out[0]);
  }

  @Test
  void suspendOutsideAFiberIsRejectedWithAClearMessage() {
    IllegalStateException e = assertThrows(IllegalStateException.class, Coroutine::suspend);
    assertTrue(e.getMessage().contains("outside a fiber"), e.getMessage());
    assertFalse(Coroutine.inCoroutine());
  }

  @Test
  void resumingAFinishedCoroutineIsRejected() {
    Coroutine c = new Coroutine(() -> {});
    assertTrue(c.resume());
    assertThrows(IllegalStateException.class, c::resume);
  }

  @Test
  void aCoroutineCanBeResumedFromADifferentCarrierThread() throws Exception {
    List<String> carriers = new ArrayList<>();
    Coroutine c =
        new Coroutine(
            () -> {
              carriers.add(Thread.currentThread().getName());
              Coroutine.suspend();
              carriers.add(Thread.currentThread().getName());
            });
    Thread first = new Thread(c::resume, "carrier-0");
    first.start();
    first.join();
    Thread second = new Thread(c::resume, "carrier-1");
    second.start();
    second.join();
    assertEquals(List.of("carrier-0", "carrier-1"), carriers);
    assertTrue(c.isDone());
  }
}
