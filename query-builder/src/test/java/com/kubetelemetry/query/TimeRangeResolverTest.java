/** Resolution and validation of time ranges, duration strings and step grids. */
package com.kubetelemetry.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeRangeResolverTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final TimeRangeResolver resolver = TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void missingRangeIsTheLastHour() {
    assertThat(resolver.resolve(null)).isEqualTo(new TimeWindow(NOW.minusSeconds(3600), NOW));
  }

  @Test
  void relativeRangesEndNow() {
    assertThat(resolver.resolve(TimeRange.last("15m")).start()).isEqualTo(NOW.minusSeconds(900));
    assertThat(resolver.resolve(TimeRange.last("90s")).start()).isEqualTo(NOW.minusSeconds(90));
    assertThat(resolver.resolve(TimeRange.last("1h")).start()).isEqualTo(NOW.minusSeconds(3600));
    assertThat(resolver.resolve(TimeRange.last("7d")).start()).isEqualTo(NOW.minus(Duration.ofDays(7)));
    assertThat(resolver.resolve(TimeRange.last(" 2w ")).start()).isEqualTo(NOW.minus(Duration.ofDays(14)));
    assertThat(resolver.resolve(TimeRange.last("7d")).end()).isEqualTo(NOW);
  }

  @Test
  void badRelativeRangesNameTheField() {
    for (String bad : new String[] {"", "15", "m", "0m", "-5m", "1.5h", "15 minutes", "1h30m", "9999999d", "5y"}) {
      assertThatThrownBy(() -> resolver.resolve(TimeRange.last(bad)))
          .isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
            assertThat(e.field()).isEqualTo("time_range.relative");
            assertThat(e.getMessage()).contains("like 90s, 15m, 1h, 7d");
          });
    }
  }

  @Test
  void absoluteRangeMustStartBeforeItEnds() {
    assertThat(resolver.resolve(TimeRange.between(NOW.minusSeconds(60), NOW)))
        .isEqualTo(new TimeWindow(NOW.minusSeconds(60), NOW));
    assertThatThrownBy(() -> resolver.resolve(TimeRange.between(NOW, NOW)))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
          assertThat(e.field()).isEqualTo("time_range");
          assertThat(e.getMessage()).contains("is not before its end");
        });
  }

  @Test
  void spansAboveTheMaximumAreResourceExhausted() {
    assertThatThrownBy(() -> resolver.resolve(TimeRange.between(NOW.minus(Duration.ofDays(90)), NOW)))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.kind()).isEqualTo(QueryException.Kind.RESOURCE_EXHAUSTED);
          assertThat(e.field()).isEqualTo("time_range");
          assertThat(e.getMessage())
              .isEqualTo("time range is 90 days; the maximum is 31 days: narrow `time_range`");
        });
    assertThatThrownBy(() -> resolver.resolve(TimeRange.last("5w")))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.field()).isEqualTo("time_range.relative");
          assertThat(e.getMessage()).startsWith("time range is 35 days;");
        });
    assertThat(resolver.resolve(TimeRange.last("31d")).span()).isEqualTo(Duration.ofDays(31));
  }

  @Test
  void stepGridAlignsOutwardAndCountsPoints() {
    TimeWindow w = new TimeWindow(Instant.parse("2026-11-23T10:00:07Z"), Instant.parse("2026-11-23T10:09:53Z"));
    StepGrid grid = StepGrid.align(w, Duration.ofMinutes(1), 100, "step");
    assertThat(grid).isEqualTo(new StepGrid(Instant.parse("2026-11-23T10:00:00Z"),
        Instant.parse("2026-11-23T10:10:00Z"), Duration.ofMinutes(1), 10));
    TimeWindow exact = new TimeWindow(Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T11:00:00Z"));
    assertThat(StepGrid.align(exact, Duration.ofMinutes(15), 4, "step").points()).isEqualTo(4);
  }

  @Test
  void stepGridRejectsTooManyPointsNamingTheLimit() {
    TimeWindow day = new TimeWindow(NOW.minus(Duration.ofDays(1)), NOW);
    assertThatThrownBy(() -> StepGrid.align(day, Duration.ofSeconds(10), 1000, "step"))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.kind()).isEqualTo(QueryException.Kind.RESOURCE_EXHAUSTED);
          assertThat(e.field()).isEqualTo("step");
          assertThat(e.getMessage()).isEqualTo("step 10 seconds gives 8640 points over the time range; the maximum"
              + " is 1000: use a step of at least 87s or narrow `time_range`");
        });
  }

  @Test
  void stepGridRejectsSubSecondSteps() {
    TimeWindow w = new TimeWindow(NOW.minusSeconds(60), NOW);
    assertThatThrownBy(() -> StepGrid.align(w, Duration.ofMillis(500), 100, "step"))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("step"));
    assertThatThrownBy(() -> StepGrid.align(w, Duration.ofMillis(1500), 100, "step"))
        .isInstanceOf(QueryException.class);
  }
}
