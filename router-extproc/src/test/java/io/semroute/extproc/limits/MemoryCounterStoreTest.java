package io.semroute.extproc.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory store: all-or-nothing admissions, expiry, and a bound set by idle tenants leaving. */
class MemoryCounterStoreTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryCounterStore store = new MemoryCounterStore(clock);

  @Test
  void addsAllCostsOrNone() {
    List<Counter> both = List.of(new Counter("a", 2, 1, 60_000), new Counter("b", 10, 6, 60_000));
    CounterStore.Outcome first = store.tryAdd(both);
    assertThat(first.added()).isTrue();
    assertThat(first.values()).containsExactly(1, 6);
    CounterStore.Outcome second = store.tryAdd(both);
    assertThat(second.added()).isFalse();
    assertThat(second.values()).containsExactly(1, 6);
    assertThat(store.values(List.of("a", "b", "c"))).containsExactly(1, 6, 0);
  }

  @Test
  void countersExpireWithTheirWindowAndAdjustNeverGoesBelowZero() {
    store.tryAdd(List.of(new Counter("a", 100, 40, 10_000)));
    store.adjust(List.of("a"), -100);
    assertThat(store.values(List.of("a"))).containsExactly(0);
    store.adjust(List.of("a"), 30);
    assertThat(store.values(List.of("a"))).containsExactly(30);
    clock.advanceMillis(10_000);
    assertThat(store.values(List.of("a"))).containsExactly(0);
    store.adjust(List.of("a"), 30); // its window ended: stays gone
    assertThat(store.values(List.of("a"))).containsExactly(0);
  }

  @Test
  void staysBoundedWith100000DistinctTenants() {
    RateLimiter rl = new RateLimiter(Limits.memory(Limits.perTenant(60, 10_000, 0)), store, clock);
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long usedBefore = rt.totalMemory() - rt.freeMemory();
    for (int i = 0; i < 100_000; i++) {
      assertThat(rl.admit(rl.tenantKey("tenant-" + i), "m", null, 20).admitted()).isTrue();
    }
    // Two counters (requests, tokens) per tenant while their minute lasts.
    assertThat(store.size()).isEqualTo(200_000);
    System.gc();
    long usedWith = rt.totalMemory() - rt.freeMemory();
    // The minute passes; one more request from somebody else sweeps the idle tenants away.
    clock.advanceSeconds(60);
    rl.admit(rl.tenantKey("late"), "m", null, 20);
    assertThat(store.size()).isEqualTo(2);
    System.gc();
    long usedAfter = rt.totalMemory() - rt.freeMemory();
    System.out.printf(
        "memory limiter: 100,000 tenants hold 200,000 counters; heap in use %d MiB before,"
            + " %d MiB with them, %d MiB after they expired (each after a GC)%n",
        usedBefore >> 20, usedWith >> 20, usedAfter >> 20);
  }
}
