/** The steps a metric query is evaluated at: aligned start, step width, number of steps and the look-back window. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.StepGrid;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Step {@code k} (0-based) is labelled {@code start + k * step} and covers the points with
 * {@code start + (k + 1) * step - window <= time < start + (k + 1) * step}: the window ends where the step ends,
 * so with the default window (one step) each point belongs to exactly the step it falls in.
 *
 * @param start label of the first step
 * @param step width of a step (positive)
 * @param points number of steps (positive)
 * @param window look-back of each step (positive)
 */
public record EvaluationGrid(Instant start, Duration step, int points, Duration window) {

  public EvaluationGrid {
    Objects.requireNonNull(start, "start");
    if (step.isNegative() || step.isZero() || window.isNegative() || window.isZero() || points < 1) {
      throw new IllegalArgumentException("invalid grid: step " + step + ", window " + window + ", points " + points);
    }
  }

  /** A range query's grid: the aligned steps of {@code grid}, each looking back over {@code window}. */
  public static EvaluationGrid of(StepGrid grid, Duration window) {
    return new EvaluationGrid(grid.start(), grid.step(), Math.toIntExact(grid.points()), window);
  }

  /** An instant query's grid: one step ending at {@code time} and covering {@code window}. */
  public static EvaluationGrid instant(Instant time, Duration window) {
    return new EvaluationGrid(time.minus(window), window, 1, window);
  }

  /** End of the last step (exclusive). */
  public Instant end() {
    return start.plus(step.multipliedBy(points));
  }

  /** First instant any step's window covers. */
  public Instant firstCovered() {
    return start.plus(step).minus(window);
  }

  /** Steps the window reaches back before the first step's start, rounded up (0 when window <= step). */
  long stepsBack() {
    long w = window.toNanos();
    long s = step.toNanos();
    return Math.max(0, Math.ceilDiv(w - s, s)) + 1;
  }

  /** Label of step {@code k}. */
  public Instant stepStart(int k) {
    return start.plus(step.multipliedBy(k));
  }
}
