/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.watchdog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.health.BridgeHealthAutoConfiguration;
import dev.bridge.autoconfigure.metrics.BridgeMetricsAutoConfiguration;
import dev.bridge.offload.OffloadStallEvent;
import dev.bridge.offload.Offloader;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker watchdog through Spring: {@code bridge.offload.stall-threshold} with a
 * per-pool override, the log line with the annotated method and its stack, listener
 * beans, the {@code bridge.offload.stalls} counter and the health details.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadWatchdogAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeHealthAutoConfiguration.class,
				MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, BridgeMetricsAutoConfiguration.class))
		.withUserConfiguration(HangingConfiguration.class)
		.withPropertyValues("bridge.offload.pools.jdbc.max-concurrency=2");

	@Test
	void aHungCallIsLoggedOnceWithItsMethodAndStackCountedPublishedAndShownInHealth(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("bridge.offload.stall-threshold=0", "bridge.offload.pools.jdbc.stall-threshold=100ms")
			.run((context) -> {
				HangingRepository repository = context.getBean(HangingRepository.class);
				RecordingListener listener = context.getBean(RecordingListener.class);
				CompletableFuture<String> call = repository.find();
				try {
					await().atMost(Duration.ofSeconds(10)).until(() -> !listener.events.isEmpty());
					OffloadStallEvent event = listener.events.get(0);
					assertThat(event.pool()).isEqualTo("jdbc");
					assertThat(event.task()).contains("HangingRepository").contains("find");
					assertThat(event.threshold()).isEqualTo(Duration.ofMillis(100));
					assertThat(output).containsOnlyOnce("Offloaded call " + event.task() + " on pool 'jdbc'")
						.contains("past bridge.offload.pools.jdbc.stall-threshold 100 ms (stall #1 of this pool)")
						.contains("give the blocking call its own timeout")
						.contains("HangingRepository.awaitRelease");
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(registry.get("bridge.offload.stalls").tag("pool", "jdbc").functionCounter().count())
						.isEqualTo(1);
					assertThat(registry.get("bridge.offload.stalls").tag("pool", "default").functionCounter().count())
						.isZero();
					assertThat(registry.get("bridge.offload.pinned").tag("pool", "jdbc").functionCounter().count())
						.isZero();
					Health health = context.getBean("bridgeHealthIndicator", HealthIndicator.class).health();
					Map<String, Object> jdbc = pool(health, "jdbc");
					assertThat(jdbc).containsEntry("stalls", 1L);
					assertThat(Long.parseLong(((String) jdbc.get("oldestRunning")).replace("ms", "")))
						.isGreaterThanOrEqualTo(100);
					assertThat(pool(health, "default")).containsEntry("oldestRunning", "0ms");
				}
				finally {
					repository.release();
				}
				assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("found");
				assertThat(listener.events).hasSize(1);
			});
	}

	@Test
	void aPoolInheritsTheThresholdAndANegativeOneFailsStartupNamingTheKey() {
		this.contextRunner.withPropertyValues("bridge.offload.stall-threshold=2m").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Offloader.class).pool("jdbc").stats().stalls()).isZero();
		});
		this.contextRunner.withPropertyValues("bridge.offload.pools.jdbc.stall-threshold=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("bridge.offload.pools.jdbc.stall-threshold must not be negative"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> pool(Health health, String name) {
		return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("offload")).get(name);
	}

	@Configuration(proxyBeanMethods = false)
	static class HangingConfiguration {

		@Bean
		HangingRepository hangingRepository() {
			return new HangingRepository();
		}

		@Bean
		RecordingListener recordingListener() {
			return new RecordingListener();
		}

	}

	public static class HangingRepository {

		private final CountDownLatch release = new CountDownLatch(1);

		public void release() {
			this.release.countDown();
		}

		@OffloadBlocking(pool = "jdbc")
		public CompletableFuture<String> find() {
			return CompletableFuture.completedFuture(awaitRelease());
		}

		String awaitRelease() {
			try {
				return this.release.await(30, TimeUnit.SECONDS) ? "found" : "timed out";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "interrupted";
			}
		}

	}

	static class RecordingListener implements OffloadStallEvent.Listener {

		final List<OffloadStallEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onStall(OffloadStallEvent event) {
			this.events.add(event);
		}

	}

}
