/** Tests the demo feeder: one tick exports all signals, failures are counted not thrown, stop is clean. */
package com.kubetelemetry.demo;

import static com.kubetelemetry.demo.DemoTelemetryGeneratorTest.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.ingest.mapping.WriteScope;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DemoDataFeederTest {
  private static final Clock CLOCK = Clock.fixed(START.plusSeconds(5), ZoneOffset.UTC);

  private static DemoDataFeeder feeder(RecordingIngest ingest, Clock clock) {
    return new DemoDataFeeder(DemoTelemetryGenerator.seeded(1, START), ingest, clock, Duration.ofMillis(20));
  }

  @Test
  void runOnceExportsAllThreeSignalsForTheDefaultTenant() {
    RecordingIngest ingest = new RecordingIngest();
    DemoDataFeeder feeder = feeder(ingest, CLOCK);

    feeder.runOnce();

    assertThat(ingest.traces).singleElement().satisfies(r -> assertThat(r.getResourceSpansCount()).isPositive());
    assertThat(ingest.metrics).singleElement().satisfies(r -> assertThat(r.getResourceMetricsCount()).isPositive());
    assertThat(ingest.logs).singleElement().satisfies(r -> assertThat(r.getResourceLogsCount()).isPositive());
    assertThat(ingest.scopes).containsOnly(new WriteScope("default", false));
    assertThat(feeder.succeededExports()).isEqualTo(3);
    assertThat(feeder.failedExports()).isZero();
  }

  @Test
  void failedAndThrowingExportsAreCountedAndTheOtherSignalsStillGo() {
    RecordingIngest refusing = new RecordingIngest(
        Status.RESOURCE_EXHAUSTED.withDescription("ingest buffer full").asException());
    DemoDataFeeder feeder = feeder(refusing, CLOCK);

    feeder.runOnce();
    feeder.runOnce();

    assertThat(feeder.failedExports()).isEqualTo(2);
    assertThat(feeder.succeededExports()).isEqualTo(4);
    assertThat(refusing.metrics).hasSize(2);
    assertThat(refusing.logs).hasSize(2);

    RecordingIngest throwing =
        new RecordingIngest(new IllegalStateException("boom")).throwOnLogs(new IllegalStateException("sync"));
    DemoDataFeeder throwingFeeder = feeder(throwing, CLOCK);
    throwingFeeder.runOnce();
    assertThat(throwingFeeder.failedExports()).isEqualTo(2);
    assertThat(throwingFeeder.succeededExports()).isEqualTo(1);
  }

  @Test
  void scheduledTicksRunOnTheDemoFeederDaemonThreadAndStopWaitsForTheTickInFlight() throws Exception {
    RecordingIngest ingest = new RecordingIngest();
    CompletableFuture<ExportTraceServiceResponse> held = ingest.holdTraces();
    DemoDataFeeder feeder = feeder(ingest, Clock.system(ZoneOffset.UTC));

    feeder.start();
    assertThatThrownBy(feeder::start).isInstanceOf(IllegalStateException.class);
    assertThat(ingest.firstCall.await(30, TimeUnit.SECONDS)).isTrue();
    Thread worker = ingest.callers.getFirst();
    assertThat(worker.getName()).isEqualTo("demo-feeder");
    assertThat(worker.isDaemon()).isTrue();

    Thread stopper = new Thread(feeder::stop, "stopper");
    stopper.start();
    while (stopper.isAlive() && stopper.getState() != Thread.State.TIMED_WAITING
        && stopper.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    held.complete(ExportTraceServiceResponse.getDefaultInstance());
    stopper.join();
    worker.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(worker.isAlive()).isFalse();
    assertThat(feeder.failedExports()).isZero();
    assertThat(ingest.metrics).hasSameSizeAs(ingest.traces);
    assertThat(ingest.logs).hasSameSizeAs(ingest.traces);
    feeder.stop();
  }

  @Test
  void catchUpExportsOneBatchPerStepUpToTheClock() {
    RecordingIngest ingest = new RecordingIngest();
    Clock clock = Clock.fixed(START.plusSeconds(125), ZoneOffset.UTC);
    DemoDataFeeder feeder = feeder(ingest, clock);

    assertThat(feeder.catchUp(Duration.ofSeconds(10))).isEqualTo(12);
    assertThat(ingest.traces).hasSize(12);
    assertThat(ingest.metrics).hasSize(12);
    long lastPointTime = ingest.metrics.getLast().getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
        .filter(m -> m.hasGauge()).findFirst().orElseThrow().getGauge().getDataPoints(0).getTimeUnixNano();
    assertThat(lastPointTime).isEqualTo(START.plusSeconds(120).getEpochSecond() * 1_000_000_000L);
    assertThat(feeder.catchUp(Duration.ofSeconds(10))).isZero();
    feeder.runOnce();
    assertThat(ingest.traces).hasSize(13);
  }

  @Test
  void rejectsANonPositiveInterval() {
    assertThatThrownBy(() -> new DemoDataFeeder(DemoTelemetryGenerator.seeded(1, START), new RecordingIngest(),
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
