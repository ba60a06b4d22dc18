/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShuttingDownException;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7, item 1: closing the application context while eight threads call Bridge
 * through both annotations and both beans settles every call (its value, a shutdown
 * rejection or a shutdown cancellation), within the drain budget plus one second, with no
 * Bridge thread left, and the shutdown report counts exactly what the callers saw.
 * <p>
 * To make "what the callers saw" comparable with the report, every accepted call is held
 * until shutdown has begun: offloaded bodies wait on a gate, and the loop is held by one
 * loop task waiting on the same gate, which opens once both the pools and the loop refuse
 * new work. So every value a caller receives comes from work that was in flight when
 * shutdown began (the report's "drained"), and the calls that block until interrupted or
 * never complete make up its "cancelled".
 */
@Tag("stress")
class ShutdownUnderLoadTests {

	private static final int CALLERS = 8;

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);

	/** Calls made before the context starts closing. */
	private static final int CLOSE_AFTER = 1_000;

	/** Asynchronous calls one caller may have in flight. */
	private static final int OUTSTANDING = 2_000;

	private static final Pattern OFFLOAD_REPORT = Pattern.compile("bridge-offload: drained (\\d+), cancelled (\\d+)");

	private static final Pattern LOOP_REPORT = Pattern.compile("bridge-loop-\\d+: drained (\\d+), cancelled (\\d+)");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class))
		.withPropertyValues("bridge.shutdown.timeout=" + SHUTDOWN_TIMEOUT.toMillis() + "ms",
				"bridge.offload.max-concurrency=4", "bridge.offload.pools.stuck.max-concurrency=2",
				"bridge.loop.stall-threshold=1m")
		.withUserConfiguration(LoadConfiguration.class);

	@Test
	@Timeout(60)
	void closingUnderLoadSettlesEveryCallAndReportsExactlyWhatTheCallersSaw() {
		Set<Thread> bridgeThreadsBefore = Reliability.aliveBridgeThreads();
		CapturedLog reportLog = CapturedLog.of("dev.bridge.autoconfigure.lifecycle.BridgeShutdownLifecycle", true);
		CapturedLog voidLog = CapturedLog.of("dev.bridge.autoconfigure.aop.VoidReturnTypeHandler", false);
		try {
			this.contextRunner.run((context) -> {
				Load load = context.getBean(Load.class);
				LoopRunner loop = context.getBean(LoopRunner.class);
				Traffic traffic = new Traffic(load, context.getBean(OffloadingService.class),
						context.getBean(LoopService.class), context.getBean(Offloader.class), loop);
				traffic.holdTheLoop();
				List<Thread> callers = traffic.start();
				assertThat(traffic.closeNow.await(20, TimeUnit.SECONDS)).isTrue();
				AtomicLong closeTook = new AtomicLong(-1);
				Thread closer = new Thread(() -> {
					long start = System.nanoTime();
					traffic.issuedAtClose = traffic.issued.get();
					context.close();
					traffic.closeReturned = System.nanoTime();
					closeTook.set(traffic.closeReturned - start);
					traffic.closed = true;
				}, "closer");
				closer.start();
				// The gate opens once the pools and then the loop refuse new work.
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(1))
					.until(() -> !loop.stats().alive());
				traffic.issuedAtRefusal = traffic.issued.get();
				load.gate.countDown();
				closer.join(TimeUnit.SECONDS.toMillis(10));
				assertThat(closer.isAlive()).as("close() returned").isFalse();
				for (Thread caller : callers) {
					caller.join(TimeUnit.SECONDS.toMillis(5));
					assertThat(caller.isAlive()).as("%s returned from its last call", caller.getName()).isFalse();
				}
				Duration took = Duration.ofNanos(closeTook.get());
				assertThat(took).isLessThan(SHUTDOWN_TIMEOUT.plusSeconds(1));
				assertThat(traffic.failures).isEmpty();
				traffic.assertEverythingSettled();
				assertThat(Reliability.aliveBridgeThreads()).isSubsetOf(bridgeThreadsBefore);
				// A virtual thread may still be unwinding for a moment after its
				// executor saw its task end.
				await().atMost(Duration.ofSeconds(1))
					.untilAsserted(() -> assertThat(load.threads).noneMatch(Thread::isAlive));
				String report = reportLog.singleReport();
				Reliability.figures("ShutdownUnderLoadTests", "%d callers made %d calls (%s), %d of them between "
						+ "the start of close() and the refusal of new work; close took %d ms (budget %d ms); %d "
						+ "bodies ran on %d distinct Bridge threads, 0 alive after close; report: %s", CALLERS,
						traffic.calls.size(), traffic.outcomes(), traffic.issuedAtRefusal - traffic.issuedAtClose,
						took.toMillis(), SHUTDOWN_TIMEOUT.toMillis(), load.bodies.get(), load.threads.size(), report);
				traffic.assertReportMatches(report, voidLog);
			});
		}
		finally {
			reportLog.detach();
			voidLog.detach();
		}
	}

	/**
	 * The kinds of call the callers make.
	 */
	enum Op {

		OFFLOAD_MONO(true), OFFLOAD_FUTURE(true), OFFLOAD_VOID(true), OFFLOADER_FUTURE(true), OFFLOADER_MONO(true),
		OFFLOAD_STUCK(true), LOOP_MONO(false), LOOP_FUTURE(false), LOOP_SUBMIT(false), LOOP_NEVER(false),
		LOOP_MONO_NEVER(false), LOOP_SYNC(false), LOOP_VOID(false), LOOP_CALL(false), LOOP_RUN(false);

		static final Op[] ASYNC = { OFFLOAD_MONO, OFFLOAD_FUTURE, OFFLOAD_VOID, OFFLOADER_FUTURE, OFFLOADER_MONO,
				LOOP_MONO, LOOP_FUTURE, LOOP_SUBMIT };

		static final Op[] SYNC = { LOOP_SYNC, LOOP_VOID, LOOP_CALL, LOOP_RUN };

		final boolean offload;

		Op(boolean offload) {
			this.offload = offload;
		}

		boolean sync() {
			return List.of(SYNC).contains(this);
		}

		boolean neverCompletes() {
			return this == OFFLOAD_STUCK || this == LOOP_NEVER || this == LOOP_MONO_NEVER;
		}

	}

	enum Outcome {

		VALUE, REJECTED, CANCELLED, OTHER

	}

	/**
	 * The eight callers and every call they made.
	 */
	static final class Traffic {

		final Queue<Call> calls = new ConcurrentLinkedQueue<>();

		final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

		final AtomicInteger issued = new AtomicInteger();

		final CountDownLatch closeNow = new CountDownLatch(1);

		volatile int issuedAtClose;

		volatile int issuedAtRefusal;

		volatile boolean closed;

		volatile long closeReturned;

		private final Load load;

		private final OffloadingService offloading;

		private final LoopService looping;

		private final Offloader offloader;

		private final LoopRunner loop;

		Traffic(Load load, OffloadingService offloading, LoopService looping, Offloader offloader, LoopRunner loop) {
			this.load = load;
			this.offloading = offloading;
			this.looping = looping;
			this.offloader = offloader;
			this.loop = loop;
		}

		/** Occupies the loop with one task that waits for the gate. */
		void holdTheLoop() throws InterruptedException {
			CountDownLatch holding = new CountDownLatch(1);
			Call call = new Call(Op.LOOP_SUBMIT, "held");
			this.calls.add(call);
			call.track(this.loop.submit(Mono.fromCallable(() -> {
				holding.countDown();
				return this.load.hold("held");
			})));
			assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
		}

		List<Thread> start() {
			List<Thread> callers = new ArrayList<>();
			for (int id = 0; id < CALLERS; id++) {
				int caller = id;
				Thread thread = new Thread(() -> callUntilClosed(caller), "caller-" + id);
				thread.start();
				callers.add(thread);
			}
			return callers;
		}

		private void callUntilClosed(int caller) {
			Semaphore outstanding = new Semaphore(OUTSTANDING);
			try {
				int n = 0;
				while (!this.closed) {
					call(caller, n, pick(caller, n), outstanding);
					n++;
				}
				// After close every kind of call is refused.
				for (Op op : Op.values()) {
					call(caller, n++, op, outstanding);
				}
			}
			catch (Throwable ex) {
				this.failures.add(ex);
			}
		}

		/**
		 * Mostly asynchronous calls, so callers keep calling while the context closes; a
		 * synchronous one now and then, at a different pace per caller, which holds that
		 * caller until the gate opens.
		 */
		private static Op pick(int caller, int n) {
			int syncEvery = 200 * (caller + 1);
			if (n > 0 && n % syncEvery == 0) {
				return Op.SYNC[(n / syncEvery + caller) % Op.SYNC.length];
			}
			return switch (n % 50) {
				case 7 -> Op.OFFLOAD_STUCK;
				case 23 -> Op.LOOP_NEVER;
				case 37 -> Op.LOOP_MONO_NEVER;
				default -> Op.ASYNC[(n + caller) % Op.ASYNC.length];
			};
		}

		private void call(int caller, int n, Op op, Semaphore outstanding) throws InterruptedException {
			String value = "c" + caller + "-" + n;
			Call call = new Call(op, value);
			boolean async = !op.sync() && op != Op.OFFLOAD_VOID;
			if (async && !outstanding.tryAcquire(30, TimeUnit.SECONDS)) {
				throw new AssertionError("caller-" + caller + " found no free slot for 30 s");
			}
			this.calls.add(call);
			if (this.issued.incrementAndGet() == CLOSE_AFTER) {
				this.closeNow.countDown();
			}
			try {
				switch (op) {
					case OFFLOAD_MONO -> call.track(this.offloading.mono(value).toFuture());
					case OFFLOAD_FUTURE -> call.track(this.offloading.future(value));
					case OFFLOAD_VOID -> {
						this.offloading.fireAndForget(value);
						call.settle(value, null);
					}
					case OFFLOADER_FUTURE -> call.track(this.offloader.future(() -> this.load.hold(value)));
					case OFFLOADER_MONO -> call.track(this.offloader.mono(() -> this.load.hold(value)).toFuture());
					case OFFLOAD_STUCK -> call.track(this.offloading.stuck());
					case LOOP_MONO -> call.track(this.looping.mono(value).toFuture());
					case LOOP_FUTURE -> call.track(this.looping.future(value));
					case LOOP_SUBMIT -> call.track(this.loop.submit(Mono.just(value)));
					case LOOP_NEVER -> call.track(this.loop.submit(Mono.never()));
					case LOOP_MONO_NEVER -> call.track(this.looping.never().toFuture());
					case LOOP_SYNC -> call.settle(this.looping.sync(value), null);
					case LOOP_VOID -> {
						this.looping.syncVoid();
						call.settle(value, null);
					}
					case LOOP_CALL -> call.settle(this.loop.call(() -> value), null);
					case LOOP_RUN -> call.settle(this.loop.run(Mono.just(value)), null);
				}
			}
			catch (Throwable ex) {
				call.settle(null, ex);
			}
			if (async) {
				CompletableFuture<?> future = call.future;
				if (future != null) {
					future.whenComplete((ignored, failure) -> outstanding.release());
				}
				else {
					outstanding.release();
				}
			}
		}

		void assertEverythingSettled() {
			for (Call call : this.calls) {
				assertThat(call.outcome).as("outcome of %s", call).isNotNull();
				assertThat(call.outcome).as("outcome of %s (%s)", call, call.failure).isNotEqualTo(Outcome.OTHER);
				if (call.future != null && call.outcome != Outcome.REJECTED) {
					assertThat(call.settledAt).as("%s settled before close() returned", call)
						.isLessThanOrEqualTo(this.closeReturned);
				}
				if (call.op.neverCompletes()) {
					assertThat(call.outcome).as("outcome of %s", call).isNotEqualTo(Outcome.VALUE);
				}
			}
			Map<Op, Long> rejected = count((call) -> call.outcome == Outcome.REJECTED);
			assertThat(rejected.keySet()).as("every kind of call refused after close")
				.containsAll(List.of(Op.values()));
			assertThat(count((call) -> call.outcome == Outcome.VALUE)).isNotEmpty();
			assertThat(count((call) -> call.outcome == Outcome.CANCELLED)).isNotEmpty();
		}

		void assertReportMatches(String report, CapturedLog voidLog) {
			Matcher offload = OFFLOAD_REPORT.matcher(report);
			Matcher loop = LOOP_REPORT.matcher(report);
			assertThat(offload.find()).as("offload part of: %s", report).isTrue();
			assertThat(loop.find()).as("loop part of: %s", report).isTrue();
			String reported = "offload: drained " + offload.group(1) + ", cancelled " + offload.group(2)
					+ "; loop: drained " + loop.group(1) + ", cancelled " + loop.group(2);
			// A fire-and-forget caller sees only that its call was accepted; the pool
			// logs the ones shutdown cancelled.
			int voidsCancelled = voidLog.cancelledByShutdown();
			String seen = "offload: drained " + (total(true, Outcome.VALUE) - voidsCancelled) + ", cancelled "
					+ (total(true, Outcome.CANCELLED) + voidsCancelled) + "; loop: drained "
					+ total(false, Outcome.VALUE) + ", cancelled " + total(false, Outcome.CANCELLED);
			assertThat(reported)
				.as("the report (%s) against what the callers saw; values %s, cancellations %s, "
						+ "fire-and-forget failures logged %s", report, count((call) -> call.outcome == Outcome.VALUE),
						count((call) -> call.outcome == Outcome.CANCELLED), voidLog.failures())
				.isEqualTo(seen);
		}

		private long total(boolean offload, Outcome outcome) {
			return this.calls.stream().filter((call) -> call.op.offload == offload && call.outcome == outcome).count();
		}

		private Map<Op, Long> count(Predicate<Call> filter) {
			Map<Op, Long> counts = new EnumMap<>(Op.class);
			this.calls.stream().filter(filter).forEach((call) -> counts.merge(call.op, 1L, Long::sum));
			return counts;
		}

		String outcomes() {
			Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
			this.calls.forEach((call) -> counts.merge(call.outcome, 1L, Long::sum));
			return counts.toString().replaceAll("[{}]", "");
		}

	}

	/**
	 * One call and what its caller saw.
	 */
	static final class Call {

		final Op op;

		final String expected;

		volatile CompletableFuture<?> future;

		volatile Outcome outcome;

		volatile Throwable failure;

		volatile long settledAt;

		Call(Op op, String expected) {
			this.op = op;
			this.expected = expected;
		}

		void track(CompletableFuture<?> future) {
			this.future = future;
			future.whenComplete(this::settle);
		}

		void settle(Object value, Throwable failure) {
			this.settledAt = System.nanoTime();
			this.failure = failure;
			if (failure == null) {
				this.outcome = this.expected.equals(value) ? Outcome.VALUE : Outcome.OTHER;
				return;
			}
			Throwable cause = Reliability.unwrap(failure);
			if (cause instanceof ShuttingDownException) {
				this.outcome = Outcome.REJECTED;
			}
			else if (cause instanceof CancelledByShutdownException
					|| cause.getCause() instanceof CancelledByShutdownException) {
				this.outcome = Outcome.CANCELLED;
			}
			else {
				this.outcome = Outcome.OTHER;
			}
		}

		@Override
		public String toString() {
			return this.op + " " + this.expected;
		}

	}

	/**
	 * A logger's events, captured while the test runs.
	 */
	static final class CapturedLog {

		private final Logger logger;

		private final Level level;

		private final boolean additive;

		private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

		private CapturedLog(Logger logger) {
			this.logger = logger;
			this.level = logger.getLevel();
			this.additive = logger.isAdditive();
		}

		static CapturedLog of(String name, boolean alsoToConsole) {
			CapturedLog log = new CapturedLog((Logger) LoggerFactory.getLogger(name));
			log.appender.start();
			log.logger.addAppender(log.appender);
			log.logger.setLevel(Level.INFO);
			log.logger.setAdditive(alsoToConsole);
			return log;
		}

		String singleReport() {
			List<String> reports = this.appender.list.stream()
				.map(ILoggingEvent::getFormattedMessage)
				.filter((message) -> message.startsWith("Bridge shut down in"))
				.toList();
			assertThat(reports).hasSize(1);
			return reports.get(0);
		}

		Map<String, Long> failures() {
			Map<String, Long> failures = new TreeMap<>();
			this.appender.list.stream()
				.filter((event) -> event.getThrowableProxy() != null)
				.forEach((event) -> failures.merge(event.getThrowableProxy().getClassName(), 1L, Long::sum));
			return failures;
		}

		int cancelledByShutdown() {
			return (int) this.appender.list.stream()
				.filter((event) -> event.getThrowableProxy() != null && event.getThrowableProxy()
					.getClassName()
					.equals(CancelledByShutdownException.class.getName()))
				.count();
		}

		void detach() {
			this.logger.detachAppender(this.appender);
			this.logger.setLevel(this.level);
			this.logger.setAdditive(this.additive);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LoadConfiguration {

		@Bean
		Load load() {
			return new Load();
		}

		@Bean
		OffloadingService offloadingService(Load load) {
			return new OffloadingService(load);
		}

		@Bean
		LoopService loopService(Load load) {
			return new LoopService(load);
		}

	}

	/**
	 * The gate every accepted call waits for, and the threads the bodies ran on.
	 */
	static class Load {

		final CountDownLatch gate = new CountDownLatch(1);

		final Set<Thread> threads = ConcurrentHashMap.newKeySet();

		final AtomicInteger bodies = new AtomicInteger();

		String hold(String value) throws InterruptedException {
			ran();
			return this.gate.await(30, TimeUnit.SECONDS) ? value : "the gate never opened";
		}

		String stuck() throws InterruptedException {
			ran();
			new CountDownLatch(1).await();
			return "unreachable";
		}

		String ran(String value) {
			ran();
			return value;
		}

		private void ran() {
			this.bodies.incrementAndGet();
			this.threads.add(Thread.currentThread());
		}

	}

	static class OffloadingService {

		private final Load load;

		OffloadingService(Load load) {
			this.load = load;
		}

		@OffloadBlocking
		public Mono<String> mono(String value) throws InterruptedException {
			return Mono.just(this.load.hold(value));
		}

		@OffloadBlocking
		public CompletableFuture<String> future(String value) throws InterruptedException {
			return CompletableFuture.completedFuture(this.load.hold(value));
		}

		@OffloadBlocking
		public void fireAndForget(String value) throws InterruptedException {
			this.load.hold(value);
		}

		@OffloadBlocking(pool = "stuck")
		public CompletableFuture<String> stuck() throws InterruptedException {
			return CompletableFuture.completedFuture(this.load.stuck());
		}

	}

	static class LoopService {

		private final Load load;

		LoopService(Load load) {
			this.load = load;
		}

		@RunOnLoop
		public String sync(String value) {
			return this.load.ran(value);
		}

		@RunOnLoop
		public void syncVoid() {
			this.load.ran("void");
		}

		@RunOnLoop
		public Mono<String> mono(String value) {
			return Mono.just(this.load.ran(value));
		}

		@RunOnLoop
		public CompletableFuture<String> future(String value) {
			return CompletableFuture.completedFuture(this.load.ran(value));
		}

		@RunOnLoop
		public Mono<String> never() {
			this.load.ran("never");
			return Mono.never();
		}

	}

}
