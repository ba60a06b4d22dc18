/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.OffloadRejectedException;
import dev.bridge.offload.Offloader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.search.RequiredSearch;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BridgeMetricsAutoConfiguration} and {@link BridgeMetrics}.
 */
class BridgeMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				BridgeAutoConfiguration.class, BridgeMetricsAutoConfiguration.class))
		.withPropertyValues("bridge.offload.pools.jdbc.threads=platform", "bridge.offload.pools.jdbc.queue-capacity=0",
				"bridge.offload.pools.jdbc.max-concurrency=1");

	@Test
	void everyMeterExistsWithItsTagsAfterTraffic() {
		this.contextRunner.run((context) -> {
			LoopRunner loop = context.getBean(LoopRunner.class);
			Offloader offloader = context.getBean(Offloader.class);
			assertThat(loop.call(() -> "on loop")).isEqualTo("on loop");
			assertThat(offloader.future(() -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok");
			assertThat(offloader.future(() -> {
				throw new IllegalStateException("boom");
			})).failsWithin(5, TimeUnit.SECONDS);
			Offloader jdbc = offloader.pool("jdbc");
			CompletableFuture<Object> blocker = jdbc.future(() -> new CompletableFuture<>().get());
			assertThatExceptionOfType(OffloadRejectedException.class).isThrownBy(() -> jdbc.future(() -> "rejected"));
			blocker.cancel(true);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("bridge.loop.lag").timeGauge().value(TimeUnit.SECONDS)).isNotNegative();
			assertThat(registry.get("bridge.loop.tasks").tag("outcome", "success").timer().count())
				.isGreaterThanOrEqualTo(1);
			assertThat(registry.get("bridge.loop.tasks").tag("outcome", "error").timer()).isNotNull();
			assertThat(registry.get("bridge.loop.tasks").tag("outcome", "cancelled").timer()).isNotNull();
			assertThat(registry.get("bridge.loop.pending").gauge().value()).isNotNegative();
			assertThat(registry.get("bridge.loop.stalls").functionCounter().count()).isZero();
			RequiredSearch calls = registry.get("bridge.offload.calls").tag("pool", "default");
			assertThat(calls.tag("outcome", "success").timer().count()).isEqualTo(1);
			assertThat(registry.get("bridge.offload.calls").tags("pool", "default", "outcome", "error").timer().count())
				.isEqualTo(1);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> registry.get("bridge.offload.calls")
					.tags("pool", "jdbc", "outcome", "cancelled")
					.timer()
					.count() == 1);
			assertThat(registry.get("bridge.offload.queue.wait").tag("pool", "default").timer()).isNotNull();
			assertThat(registry.get("bridge.offload.active").tag("pool", "jdbc").gauge().value()).isNotNegative();
			assertThat(registry.get("bridge.offload.queued").tag("pool", "jdbc").gauge().value()).isZero();
			assertThat(registry.get("bridge.offload.rejected").tag("pool", "jdbc").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("bridge.offload.rejected").tag("pool", "default").functionCounter().count())
				.isZero();
		});
	}

	@Test
	void offloadTimersHavePercentilesAndHistogramsWhenBootIsToldTo() {
		this.contextRunner
			.withPropertyValues("management.metrics.distribution.percentiles-histogram.bridge.offload.calls=true",
					"management.metrics.distribution.percentiles.bridge.offload.calls=0.5,0.99",
					"management.metrics.distribution.slo.bridge.offload.queue.wait=10ms,100ms",
					"management.metrics.distribution.percentiles.bridge.loop.tasks=0.95")
			.run((context) -> {
				LoopRunner loop = context.getBean(LoopRunner.class);
				assertThat(loop.call(() -> "on loop")).isEqualTo("on loop");
				Offloader offloader = context.getBean(Offloader.class);
				for (int i = 0; i < 20; i++) {
					assertThat(offloader.future(() -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok");
				}
				Offloader jdbc = offloader.pool("jdbc");
				CountDownLatch release = new CountDownLatch(1);
				CompletableFuture<Boolean> holder = jdbc.future(() -> release.await(10, TimeUnit.SECONDS));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				HistogramSnapshot calls = registry.get("bridge.offload.calls")
					.tags("pool", "default", "outcome", "success")
					.timer()
					.takeSnapshot();
				assertThat(calls.count()).isEqualTo(20);
				assertThat(calls.percentileValues()).extracting(ValueAtPercentile::percentile)
					.containsExactly(0.5, 0.99);
				assertThat(registry.get("bridge.offload.queue.wait")
					.tag("pool", "jdbc")
					.timer()
					.takeSnapshot()
					.histogramCounts()).extracting(CountAtBucket::bucket)
					.containsExactly((double) TimeUnit.MILLISECONDS.toNanos(10),
							(double) TimeUnit.MILLISECONDS.toNanos(100));
				HistogramSnapshot loopTasks = registry.get("bridge.loop.tasks")
					.tag("outcome", "success")
					.timer()
					.takeSnapshot();
				assertThat(loopTasks.count()).isGreaterThanOrEqualTo(1);
				assertThat(loopTasks.percentileValues()).extracting(ValueAtPercentile::percentile)
					.containsExactly(0.95);
				release.countDown();
				assertThat(holder.get(5, TimeUnit.SECONDS)).isTrue();
			});
	}

	@Test
	void nothingIsBoundWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(BridgeAutoConfiguration.class, BridgeMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BridgeMetrics.class));
	}

	@Test
	void nothingIsBoundWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BridgeMetrics.class));
	}

	@Test
	void metricsBackOffWhenTheApplicationDefinesABinderWithTheSameName() {
		this.contextRunner.withBean("bridgeMetrics", Object.class, Object::new)
			.run((context) -> assertThat(context).doesNotHaveBean(BridgeMetrics.class));
	}

	@Test
	void nothingIsBoundWhenBridgeIsDisabled() {
		this.contextRunner.withPropertyValues("bridge.enabled=false")
			.run((context) -> assertThat(context.getBean(MeterRegistry.class).find("bridge.loop.lag").meter())
				.isNull());
	}

}
