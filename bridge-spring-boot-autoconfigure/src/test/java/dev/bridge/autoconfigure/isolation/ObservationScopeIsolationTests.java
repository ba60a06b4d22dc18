/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.isolation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import io.micrometer.context.ContextRegistry;
import io.micrometer.observation.NullObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 20, item 5: an {@code Observation} scope a body leaves open does not stay current
 * on the worker or the loop thread, where the next caller's code would run inside it.
 */
@Timeout(30)
class ObservationScopeIsolationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BridgeAutoConfiguration.class))
		.withPropertyValues("bridge.offload.threads=platform", "bridge.offload.max-concurrency=1",
				"bridge.shutdown.timeout=1s");

	private final ObservationRegistry observations = ObservationRegistry.create();

	private ObservationThreadLocalAccessor accessor;

	private ObservationRegistry previous;

	/** Scopes open per observation name: Bridge's own must be closed after each task. */
	private final Map<String, AtomicInteger> openScopes = new ConcurrentHashMap<>();

	@BeforeEach
	void useTestRegistry() {
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onScopeOpened(Observation.Context context) {
				scopes(context).incrementAndGet();
			}

			@Override
			public void onScopeClosed(Observation.Context context) {
				scopes(context).decrementAndGet();
			}

		});
		this.accessor = (ObservationThreadLocalAccessor) ContextRegistry.getInstance()
			.getThreadLocalAccessors()
			.stream()
			.filter((candidate) -> ObservationThreadLocalAccessor.KEY.equals(candidate.key()))
			.findFirst()
			.orElseThrow();
		this.previous = this.accessor.getObservationRegistry();
		this.accessor.setObservationRegistry(this.observations);
	}

	@AfterEach
	void restoreRegistry() {
		this.accessor.setObservationRegistry(this.previous);
	}

	@Test
	void aScopeLeftOpenByAnOffloadedBodyIsNotCurrentForTheNextCallersCodeOnTheWorker() {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			// The pool's one slot is held, so alice's call and an anonymous caller's
			// queue behind it and run one after the other on the same worker.
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Boolean> holder = offloader.future(() -> release.await(10, TimeUnit.SECONDS));
			CompletableFuture<?> alice = inObservation("alice", () -> offloader.future(this::leakScope));
			// The anonymous caller's continuation runs on the worker, after its body.
			CompletableFuture<String> anonymous = offloader.future(this::current)
				.thenApply((body) -> body + ", then " + current());
			release.countDown();
			assertThat(holder.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(alice.get(10, TimeUnit.SECONDS)).isEqualTo("leaked");
			assertThat(anonymous.get(10, TimeUnit.SECONDS)).isEqualTo("none, then none");
		});
	}

	@Test
	void aScopeLeftOpenByALoopBodyIsNotCurrentForTheNextLoopTask() {
		this.contextRunner.run((context) -> {
			LoopRunner loop = context.getBean(LoopRunner.class);
			inObservation("alice", () -> loop.call(this::leakScope));
			CompletableFuture<String> raw = new CompletableFuture<>();
			loop.scheduler().schedule(() -> raw.complete(current()));
			assertThat(raw.get(10, TimeUnit.SECONDS)).isEqualTo("none");
		});
	}

	@Test
	void theScopesBridgeOpensForACallerAreClosedAfterTheTaskEvenWhenTheBodyLeaksOne() {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			LoopRunner loop = context.getBean(LoopRunner.class);
			inObservation("alice", () -> offloader.future(this::leakScope).get(10, TimeUnit.SECONDS));
			inObservation("bob", () -> loop.call(this::leakScope));
			// Nothing keeps alice's or bob's observation current on a Bridge thread.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.openScopes)
					.allSatisfy((name, open) -> assertThat(open).as("scopes of %s still open", name).hasValue(0)));
		});
	}

	private AtomicInteger scopes(Observation.Context context) {
		return this.openScopes.computeIfAbsent(String.valueOf(context.getName()), (name) -> new AtomicInteger());
	}

	private String leakScope() {
		Observation.start("leaked", this.observations).openScope();
		return current();
	}

	private String current() {
		Observation observation = this.observations.getCurrentObservation();
		return (observation == null || observation instanceof NullObservation) ? "none"
				: observation.getContext().getName();
	}

	private <T> T inObservation(String name, Callable<T> call) throws Exception {
		Observation observation = Observation.start(name, this.observations);
		try (Observation.Scope scope = observation.openScope()) {
			return call.call();
		}
		finally {
			observation.stop();
		}
	}

}
