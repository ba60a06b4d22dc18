/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.observation.NullObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7, item 3: calls made under different identities never see each other's Spring
 * Security {@code Authentication}, MDC or Micrometer {@code Observation}, even on pools
 * so small that every worker thread is reused thousands of times; after each task the
 * thread that ran it holds none of them; and a body that replaces its security context or
 * MDC does not change its caller's.
 * <p>
 * What a worker holds after a task is read on that worker right after the task's captured
 * context was restored, outside any Bridge wrapping: for offloaded calls by a
 * continuation the caller attaches before the body is allowed to finish (it runs where
 * the call completes, on the worker), for loop calls by a raw task scheduled on the loop
 * with {@link LoopRunner#scheduler()}.
 */
@Tag("stress")
class ContextIsolationTests {

	private static final int CALLS = 100_000;

	private static final int CALLERS = 4;

	private static final String NONE = "-|-|-";

	/** Clears every registered thread-local while it is set. */
	private static final ContextSnapshot ANONYMOUS = ContextSnapshotFactory.builder()
		.clearMissing(true)
		.build()
		.captureFrom();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class))
		.withPropertyValues("bridge.offload.threads=platform", "bridge.offload.max-concurrency=2",
				"bridge.offload.pools.tiny.max-concurrency=1", "bridge.shutdown.timeout=1s")
		.withUserConfiguration(IsolationConfiguration.class);

	private final ObservationRegistry observations = ObservationRegistry.create();

	private ObservationThreadLocalAccessor observationAccessor;

	private ObservationRegistry previousObservations;

	@BeforeEach
	void registerObservations() {
		this.observations.observationConfig().observationHandler((context) -> true);
		ThreadLocalAccessor<?> accessor = ContextRegistry.getInstance()
			.getThreadLocalAccessors()
			.stream()
			.filter((candidate) -> ObservationThreadLocalAccessor.KEY.equals(candidate.key()))
			.findFirst()
			.orElseThrow();
		this.observationAccessor = (ObservationThreadLocalAccessor) accessor;
		this.previousObservations = this.observationAccessor.getObservationRegistry();
		this.observationAccessor.setObservationRegistry(this.observations);
	}

	@AfterEach
	void restoreObservations() {
		this.observationAccessor.setObservationRegistry(this.previousObservations);
	}

	@Test
	@Timeout(180)
	void everyBodySeesOnlyItsCallersContextAndNoWorkerKeepsAny() {
		this.contextRunner.withBean(ObservationRegistry.class, () -> this.observations).run((context) -> {
			Calls calls = new Calls(context.getBean(IsolatedService.class), context.getBean(Offloader.class),
					context.getBean(LoopRunner.class), this.observations);
			List<Thread> callers = new ArrayList<>();
			long start = System.nanoTime();
			for (int id = 0; id < CALLERS; id++) {
				int caller = id;
				Thread thread = new Thread(() -> calls.makeCalls(caller), "isolated-caller-" + id);
				thread.start();
				callers.add(thread);
			}
			for (Thread caller : callers) {
				caller.join(TimeUnit.MINUTES.toMillis(2));
				assertThat(caller.isAlive()).isFalse();
			}
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(calls.errors).isEmpty();
			assertThat(calls.mismatches).as("%d of %d calls saw the wrong context", calls.mismatchCount.sum(), CALLS)
				.isEmpty();
			assertThat(calls.made.sum()).isEqualTo(CALLS);
			// The calls ran on few, reused threads: the pool's two slots (plus the thread
			// a call may get while a worker that freed its slot is on its way back to
			// the hand-off) and the loop thread, each running many calls.
			assertThat(calls.workers.keySet()).filteredOn((name) -> name.startsWith("bridge-offload-default-"))
				.hasSizeBetween(1, 2 + CALLERS);
			assertThat(calls.workers.values()).filteredOn((count) -> count.get() > 1000).hasSizeGreaterThanOrEqualTo(2);
			Reliability.figures("ContextIsolationTests", "%d calls from %d caller threads (%d with a body replacing "
					+ "its SecurityContext and MDC) over %d kinds of call in %d ms; worker threads and calls each "
					+ "ran: %s; %d worker samples after a task, all empty; 0 mismatches", calls.made.sum(), CALLERS,
					calls.replaced.sum(), Op.values().length, took.toMillis(), calls.workers, calls.samples.sum());
		});
	}

	@Test
	@Timeout(30)
	void bodyRunInlineOnTheLoopThreadDoesNotChangeItsCallersContext() {
		this.contextRunner.withBean(ObservationRegistry.class, () -> this.observations).run((context) -> {
			IsolatedService service = context.getBean(IsolatedService.class);
			LoopRunner loop = context.getBean(LoopRunner.class);
			Identity caller = Identity.enter(1, this.observations);
			try {
				// The outer task runs on the loop under the caller's context; the
				// annotated method and loop.call(..) run inline there.
				String seen = loop.submit(Mono.fromCallable(() -> {
					String before = Seen.now(this.observations);
					service.onLoop(new Probe(1, true, null));
					String afterAnnotated = Seen.now(this.observations);
					loop.call(() -> {
						Probe.replaceContext();
						return null;
					});
					return before + " > " + afterAnnotated + " > " + Seen.now(this.observations);
				})).get(10, TimeUnit.SECONDS);
				String expected = caller.expected();
				assertThat(seen).isEqualTo(expected + " > " + expected + " > " + expected);
				assertThat(leftoverOnLoop(loop, this.observations)).isEqualTo(NONE);
			}
			finally {
				caller.exit();
			}
		});
	}

	@Test
	@Timeout(30)
	void bodyRunInlineOnItsOwnFullPoolDoesNotChangeItsCallersContext() {
		this.contextRunner.withBean(ObservationRegistry.class, () -> this.observations).run((context) -> {
			Offloader tiny = context.getBean(Offloader.class).pool("tiny");
			Identity caller = Identity.enter(2, this.observations);
			try {
				// The outer call takes the pool's only slot, so the nested one runs
				// inline on the same worker.
				String seen = tiny.future(() -> {
					String before = Seen.now(this.observations);
					String nestedThread = tiny.future(() -> {
						Probe.replaceContext();
						return Thread.currentThread().getName();
					}).get(10, TimeUnit.SECONDS);
					return before + " > " + Seen.now(this.observations) + " on "
							+ nestedThread.equals(Thread.currentThread().getName());
				}).get(10, TimeUnit.SECONDS);
				String expected = caller.expected();
				assertThat(seen).isEqualTo(expected + " > " + expected + " on true");
			}
			finally {
				caller.exit();
			}
		});
	}

	private static String leftoverOnLoop(LoopRunner loop, ObservationRegistry observations) throws Exception {
		CompletableFuture<String> sample = new CompletableFuture<>();
		// Scheduled by an anonymous caller: a raw task runs under the context of the
		// code that scheduled it (issue 20), so the caller's own would hide leftovers.
		try (ContextSnapshot.Scope anonymous = ANONYMOUS.setThreadLocals()) {
			loop.scheduler().schedule(() -> sample.complete(Seen.now(observations)));
		}
		return sample.get(10, TimeUnit.SECONDS);
	}

	/**
	 * The kinds of call made, each with its caller's context.
	 */
	enum Op {

		OFFLOAD_MONO, OFFLOAD_FUTURE, OFFLOADER_FUTURE, OFFLOADER_MONO, LOOP_SYNC, LOOP_CALL, LOOP_RUN, LOOP_SUBMIT,
		LOOP_MONO

	}

	/**
	 * The calls, and what went wrong in them.
	 */
	static final class Calls {

		final Queue<String> mismatches = new ConcurrentLinkedQueue<>();

		final LongAdder mismatchCount = new LongAdder();

		final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

		final LongAdder made = new LongAdder();

		final LongAdder replaced = new LongAdder();

		final LongAdder samples = new LongAdder();

		final Map<String, AtomicInteger> workers = new ConcurrentHashMap<>();

		private final IsolatedService service;

		private final Offloader offloader;

		private final LoopRunner loop;

		private final ObservationRegistry observations;

		Calls(IsolatedService service, Offloader offloader, LoopRunner loop, ObservationRegistry observations) {
			this.service = service;
			this.offloader = offloader;
			this.loop = loop;
			this.observations = observations;
		}

		void makeCalls(int caller) {
			try {
				for (int n = caller; n < CALLS; n += CALLERS) {
					Op op = Op.values()[n % Op.values().length];
					Probe probe = new Probe(n, n % 7 == 3, new CountDownLatch(1));
					Identity identity = Identity.enter(n, this.observations);
					try {
						check(n, op, "body", call(op, probe), identity.expected());
						check(n, op, "caller after the call", Seen.now(this.observations), identity.expected());
						if (!identity.isCurrent(this.observations)) {
							mismatch(n, op, "the caller's SecurityContext or Observation object was replaced");
						}
					}
					finally {
						identity.exit();
					}
					this.made.increment();
					if (probe.replace()) {
						this.replaced.increment();
					}
				}
			}
			catch (Throwable ex) {
				this.errors.add(ex);
			}
		}

		/**
		 * Makes one call and returns what its body saw, after checking what the worker
		 * held once the body was done.
		 */
		private String call(Op op, Probe probe) throws Exception {
			return switch (op) {
				case OFFLOAD_MONO -> {
					CompletableFuture<String> result = this.service.offloadMono(probe)
						.map(this::withLeftovers)
						.toFuture();
					probe.registered().countDown();
					yield afterTask(op, probe, result.get(10, TimeUnit.SECONDS));
				}
				case OFFLOAD_FUTURE -> {
					CompletableFuture<String> result = this.service.offloadFuture(probe).thenApply(this::withLeftovers);
					probe.registered().countDown();
					yield afterTask(op, probe, result.get(10, TimeUnit.SECONDS));
				}
				case OFFLOADER_FUTURE -> {
					CompletableFuture<String> result = this.offloader.future(() -> probe.see(this.observations, true))
						.thenApply(this::withLeftovers);
					probe.registered().countDown();
					yield afterTask(op, probe, result.get(10, TimeUnit.SECONDS));
				}
				case OFFLOADER_MONO -> {
					CompletableFuture<String> result = this.offloader.mono(() -> probe.see(this.observations, true))
						.map(this::withLeftovers)
						.toFuture();
					probe.registered().countDown();
					yield afterTask(op, probe, result.get(10, TimeUnit.SECONDS));
				}
				case LOOP_SYNC -> afterLoopTask(op, probe, this.service.onLoop(probe));
				case LOOP_CALL -> afterLoopTask(op, probe, this.loop.call(() -> probe.see(this.observations, false)));
				case LOOP_RUN -> afterLoopTask(op, probe,
						this.loop.run(Mono.fromCallable(() -> probe.see(this.observations, false))));
				case LOOP_SUBMIT -> afterLoopTask(op, probe,
						this.loop.submit(Mono.fromCallable(() -> probe.see(this.observations, false)))
							.get(10, TimeUnit.SECONDS));
				case LOOP_MONO ->
					afterLoopTask(op, probe, this.service.loopMono(probe).toFuture().get(10, TimeUnit.SECONDS));
			};
		}

		private String withLeftovers(String seen) {
			return Seen.withLeftovers(seen, this.observations);
		}

		private String afterTask(Op op, Probe probe, String result) {
			String[] parts = result.split("#");
			String worker = parts[2];
			this.workers.computeIfAbsent(worker, (name) -> new AtomicInteger()).incrementAndGet();
			this.samples.increment();
			if (!worker.startsWith("bridge-offload-default-")) {
				mismatch(probe.n(), op, "the continuation ran on " + worker + ", not on the worker");
			}
			if (!NONE.equals(parts[1])) {
				mismatch(probe.n(), op, "worker " + worker + " kept " + parts[1] + " after the task");
			}
			return parts[0];
		}

		private String afterLoopTask(Op op, Probe probe, String seen) throws Exception {
			String leftovers = leftoverOnLoop(this.loop, this.observations);
			this.samples.increment();
			this.workers.computeIfAbsent("bridge-loop", (name) -> new AtomicInteger()).incrementAndGet();
			if (!NONE.equals(leftovers)) {
				mismatch(probe.n(), op, "the loop kept " + leftovers + " after the task");
			}
			return seen;
		}

		private void check(int n, Op op, String where, String seen, String expected) {
			if (!expected.equals(seen)) {
				mismatch(n, op, where + " saw " + seen + " instead of " + expected);
			}
		}

		private void mismatch(int n, Op op, String what) {
			this.mismatchCount.increment();
			if (this.mismatches.size() < 20) {
				this.mismatches.add("call " + n + " (" + op + "): " + what);
			}
		}

	}

	/**
	 * One caller's identity: its security context, MDC entry and open observation.
	 */
	record Identity(int n, SecurityContext securityContext, Observation observation, Observation.Scope scope) {

		static Identity enter(int n, ObservationRegistry observations) {
			SecurityContext securityContext = SecurityContextHolder.createEmptyContext();
			securityContext.setAuthentication(new TestingAuthenticationToken("user-" + n, "secret"));
			SecurityContextHolder.setContext(securityContext);
			MDC.put("call", "mdc-" + n);
			Observation observation = Observation.createNotStarted("isolation", observations)
				.contextualName("obs-" + n)
				.start();
			return new Identity(n, securityContext, observation, observation.openScope());
		}

		String expected() {
			return "user-" + this.n + "|{call=mdc-" + this.n + "}|obs-" + this.n;
		}

		boolean isCurrent(ObservationRegistry observations) {
			return SecurityContextHolder.getContext() == this.securityContext
					&& observations.getCurrentObservation() == this.observation;
		}

		void exit() {
			this.scope.close();
			this.observation.stop();
			SecurityContextHolder.clearContext();
			MDC.clear();
		}

	}

	/**
	 * What one call's body is told: its number, whether to replace its context after
	 * reading it, and the latch its caller opens once it has attached its continuation.
	 */
	record Probe(int n, boolean replace, CountDownLatch registered) {

		String see(ObservationRegistry observations, boolean waitForCaller) throws InterruptedException {
			String seen = Seen.now(observations);
			if (this.replace) {
				replaceContext();
			}
			if (waitForCaller && !this.registered.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the caller did not attach its continuation");
			}
			return seen;
		}

		static void replaceContext() {
			SecurityContext intruder = SecurityContextHolder.createEmptyContext();
			intruder.setAuthentication(new TestingAuthenticationToken("intruder", "secret"));
			SecurityContextHolder.setContext(intruder);
			MDC.put("call", "intruder");
			MDC.put("intruder", "yes");
		}

	}

	/**
	 * Reads the current thread's security, MDC and observation state.
	 */
	static final class Seen {

		private Seen() {
		}

		static String now(ObservationRegistry observations) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			Map<String, String> mdc = MDC.getCopyOfContextMap();
			Observation observation = observations.getCurrentObservation();
			return ((authentication != null) ? authentication.getName() : "-") + "|"
					+ ((mdc != null && !mdc.isEmpty()) ? mdc : "-") + "|"
					+ ((observation != null && !(observation instanceof NullObservation))
							? observation.getContextView().getContextualName() : "-");
		}

		/**
		 * What the body saw, what the current thread holds (which must be nothing when it
		 * runs between tasks) and the thread's name.
		 */
		static String withLeftovers(String seen, ObservationRegistry observations) {
			return seen + "#" + now(observations) + "#" + Thread.currentThread().getName();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class IsolationConfiguration {

		@Bean
		IsolatedService isolatedService(ObservationRegistry observations) {
			return new IsolatedService(observations);
		}

	}

	static class IsolatedService {

		private final ObservationRegistry observations;

		IsolatedService(ObservationRegistry observations) {
			this.observations = observations;
		}

		@OffloadBlocking
		public Mono<String> offloadMono(Probe probe) throws InterruptedException {
			String seen = probe.see(this.observations, true);
			// Subscribed in the body's task, under the caller's context (issue 20): the
			// caller reads the leftovers where the call completes, after the task.
			return Mono.just(seen);
		}

		@OffloadBlocking
		public CompletableFuture<String> offloadFuture(Probe probe) throws InterruptedException {
			return CompletableFuture.completedFuture(probe.see(this.observations, true));
		}

		@RunOnLoop
		public String onLoop(Probe probe) throws InterruptedException {
			return probe.see(this.observations, false);
		}

		@RunOnLoop
		public Mono<String> loopMono(Probe probe) throws InterruptedException {
			return Mono.just(probe.see(this.observations, false));
		}

	}

}
