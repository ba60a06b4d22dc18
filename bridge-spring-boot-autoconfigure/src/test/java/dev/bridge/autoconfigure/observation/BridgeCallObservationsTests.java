/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.observation;

import java.util.concurrent.TimeUnit;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.offload.Offloader;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each offloaded call is an {@code Observation}, child of the caller's, current around
 * the body on the pool, with low-cardinality pool, method and outcome.
 */
class BridgeCallObservationsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(BridgeAutoConfiguration.class, BridgeObservationAutoConfiguration.class))
		.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
		.withPropertyValues("bridge.offload.pools.jdbc.max-concurrency=2");

	@Test
	void anOffloadedCallIsAChildObservationOfItsCallerAndCurrentAroundItsBody() {
		this.contextRunner.run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			Offloader jdbc = context.getBean(Offloader.class).pool("jdbc");
			Observation caller = Observation.start("http.request", registry);
			Observation[] inBody = new Observation[1];
			try (Observation.Scope scope = caller.openScope()) {
				jdbc.named("OrderRepository.find").future(() -> {
					inBody[0] = registry.getCurrentObservation();
					return "found";
				}).get(5, TimeUnit.SECONDS);
			}
			caller.stop();
			assertThat(inBody[0]).isNotNull();
			assertThat(inBody[0].getContext().getName()).isEqualTo("bridge.offload.call");
			assertThat(inBody[0].getContext().getParentObservation()).isSameAs(caller);
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("bridge.offload.call")
				.that()
				.hasContextualNameEqualTo("offload OrderRepository.find")
				.hasLowCardinalityKeyValue("pool", "jdbc")
				.hasLowCardinalityKeyValue("method", "OrderRepository.find")
				.hasLowCardinalityKeyValue("outcome", "success")
				.hasParentObservationEqualTo(caller)
				.hasEvent(BridgeCallObservations.STARTED.getName())
				.hasBeenStarted()
				.hasBeenStopped();
		});
	}

	@Test
	void aFailedCallIsStoppedWithItsErrorAndOutcome() {
		this.contextRunner.run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			Offloader offloader = context.getBean(Offloader.class);
			assertThatThrownBy(() -> offloader.future(() -> {
				throw new IllegalStateException("boom");
			}).get(5, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("bridge.offload.call")
				.that()
				.hasLowCardinalityKeyValue("pool", "default")
				.hasLowCardinalityKeyValue("outcome", "error")
				.hasError()
				.hasBeenStopped();
		});
	}

	@Test
	void nothingIsObservedWithoutARegistry() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(BridgeAutoConfiguration.class, BridgeObservationAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BridgeCallObservations.class));
	}

}
