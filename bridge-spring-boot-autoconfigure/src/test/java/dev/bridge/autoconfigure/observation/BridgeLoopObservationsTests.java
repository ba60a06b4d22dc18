/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.observation;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each piece of work run through the loop runner is an {@code Observation}, child of the
 * caller's, current on the loop while the work starts, with low-cardinality method and
 * outcome.
 */
class BridgeLoopObservationsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeObservationAutoConfiguration.class))
		.withBean(TestObservationRegistry.class, TestObservationRegistry::create);

	@Test
	void aLoopCallIsAChildObservationOfItsCallerAndCurrentWhileItStarts() {
		this.contextRunner.run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			LoopRunner runner = context.getBean(LoopRunner.class);
			Observation caller = Observation.start("http.request", registry);
			AtomicReference<Observation> onLoop = new AtomicReference<>();
			try (Observation.Scope scope = caller.openScope()) {
				String result = runner.named("Inventory.reserve").call(() -> {
					onLoop.set(registry.getCurrentObservation());
					return "reserved";
				});
				assertThat(result).isEqualTo("reserved");
			}
			caller.stop();
			assertThat(onLoop.get()).isNotNull();
			assertThat(onLoop.get().getContext().getName()).isEqualTo("bridge.loop.call");
			assertThat(onLoop.get().getContext().getParentObservation()).isSameAs(caller);
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("bridge.loop.call")
				.that()
				.hasContextualNameEqualTo("loop Inventory.reserve")
				.hasLowCardinalityKeyValue("method", "Inventory.reserve")
				.hasLowCardinalityKeyValue("outcome", "success")
				.hasParentObservationEqualTo(caller)
				.hasEvent(BridgeLoopObservations.STARTED.getName())
				.hasBeenStarted()
				.hasBeenStopped();
		});
	}

	@Test
	void aFailedSubmitIsStoppedWithItsErrorAndOutcome() {
		this.contextRunner.run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			LoopRunner runner = context.getBean(LoopRunner.class);
			assertThatThrownBy(
					() -> runner.submit(Mono.error(new IllegalStateException("boom"))).get(5, TimeUnit.SECONDS))
				.hasRootCauseMessage("boom");
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("bridge.loop.call")
				.that()
				.hasLowCardinalityKeyValue("method", "submit(Mono)")
				.hasLowCardinalityKeyValue("outcome", "error")
				.hasError()
				.hasBeenStopped();
		});
	}

	@Test
	void aStreamIsObservedAndCurrentWhenItsSourceIsSubscribedTo() {
		this.contextRunner.run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			LoopRunner runner = context.getBean(LoopRunner.class);
			AtomicReference<Observation> atSubscribe = new AtomicReference<>();
			Flux<Integer> source = Flux.defer(() -> {
				atSubscribe.set(registry.getCurrentObservation());
				return Flux.just(1, 2, 3);
			});
			List<Integer> items;
			try (Stream<Integer> stream = runner.stream(source)) {
				items = stream.toList();
			}
			assertThat(items).containsExactly(1, 2, 3);
			assertThat(atSubscribe.get()).isNotNull();
			assertThat(atSubscribe.get().getContext().getName()).isEqualTo("bridge.loop.call");
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("bridge.loop.call")
				.that()
				.hasLowCardinalityKeyValue("method", "stream(Publisher)")
				.hasLowCardinalityKeyValue("outcome", "success")
				.hasBeenStopped();
		});
	}

	@Test
	void aRunOnLoopMethodIsObservedUnderItsName() {
		this.contextRunner.withBean(Inventory.class).run((context) -> {
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			Inventory inventory = context.getBean(Inventory.class);
			Observation caller = Observation.start("http.request", registry);
			try (Observation.Scope scope = caller.openScope()) {
				assertThat(inventory.count()).isEqualTo("bridge.loop.call");
			}
			caller.stop();
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("bridge.loop.call")
				.that()
				.hasLowCardinalityKeyValue("method", "Inventory.count")
				.hasLowCardinalityKeyValue("outcome", "success")
				.hasParentObservationEqualTo(caller)
				.hasBeenStopped();
		});
	}

	@Test
	void nothingIsObservedWithoutARegistry() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(BridgeAutoConfiguration.class, BridgeObservationAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BridgeLoopObservations.class));
	}

	static class Inventory {

		private final ObservationRegistry registry;

		Inventory(TestObservationRegistry registry) {
			this.registry = registry;
		}

		@RunOnLoop
		public String count() {
			Observation current = this.registry.getCurrentObservation();
			return (current != null) ? current.getContext().getName() : "none";
		}

	}

}
