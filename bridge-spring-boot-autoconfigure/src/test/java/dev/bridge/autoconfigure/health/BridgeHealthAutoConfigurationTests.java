/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.health;

import java.util.Map;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BridgeHealthAutoConfiguration} and {@link BridgeHealthIndicator}.
 */
class BridgeHealthAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BridgeAutoConfiguration.class, BridgeHealthAutoConfiguration.class));

	@Test
	void healthIsUpWithLoopAndPoolDetails() {
		this.contextRunner.withPropertyValues("bridge.offload.pools.jdbc.max-concurrency=4").run((context) -> {
			Health health = context.getBean("bridgeHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsOnlyKeys("loop", "offload");
			assertThat(details(health, "loop")).containsKeys("alive", "lag", "inFlight", "stalls", "currentTaskAge")
				.containsEntry("alive", true);
			Map<String, Object> pools = details(health, "offload");
			assertThat(pools).containsOnlyKeys("default", "jdbc");
			assertThat(details(pools, "jdbc"))
				.containsOnlyKeys("active", "queued", "limit", "rejected", "oldestRunning", "stalls")
				.containsEntry("limit", 4);
		});
	}

	@Test
	void healthIsDownOnceTheLoopIsShutDown() {
		this.contextRunner.run((context) -> {
			context.getBean(LoopRunner.class).close();
			Health health = context.getBean("bridgeHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("reason").toString()).contains("is shut down");
		});
	}

	@Test
	void indicatorBacksOffWhenTheApplicationDefinesOneWithTheSameName() {
		this.contextRunner.withBean("bridgeHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(BridgeHealthIndicator.class)
				.hasBean("bridgeHealthIndicator"));
	}

	@Test
	void indicatorCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("management.health.bridge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BridgeHealthIndicator.class));
	}

	@Test
	void noIndicatorWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BridgeHealthIndicator.class));
	}

	@Test
	void noIndicatorWhenBridgeIsDisabled() {
		this.contextRunner.withPropertyValues("bridge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BridgeHealthIndicator.class));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Health health, String key) {
		return (Map<String, Object>) health.getDetails().get(key);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Map<String, Object> map, String key) {
		return (Map<String, Object>) map.get(key);
	}

}
