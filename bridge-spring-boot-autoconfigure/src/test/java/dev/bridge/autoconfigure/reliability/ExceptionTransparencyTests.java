/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7, item 9: a checked exception, an unchecked exception and an {@code Error}
 * thrown by a body reach its caller as themselves (the very instance) through every
 * declared return type and both beans, and the trace the caller gets shows where it
 * called from.
 * <p>
 * "As itself" is the error signal for reactive types and futures, and the exception
 * thrown for synchronous calls; for {@code LoopRunner.call}/{@code run}, whose signatures
 * declare no checked exception, a checked one comes wrapped once in a
 * {@link CompletionException}, as their javadoc says. "The caller's site" is a frame of
 * the calling test method in the trace the caller's wait produces: its wrapper
 * ({@link ExecutionException}, Reactor's {@code #block} marker) or, for waits on the
 * loop, the suppressed {@code LoopWork$CallerSite} the core adds. A fire-and-forget
 * {@code void} method has no caller left to throw to: its failure is logged, as itself,
 * naming the method.
 */
class ExceptionTransparencyTests {

	/** Bounds every wait, so a failure that never reaches its caller fails the test. */
	private static final Duration WAIT = Duration.ofSeconds(3);

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		context = new SpringApplicationBuilder(ThrowingConfiguration.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "bridge.shutdown.timeout=1s",
					"bridge.loop.call-timeout=" + WAIT.toMillis() + "ms")
			// The module's test application.properties asks for a reactive web
			// application;
			// only an argument outranks it.
			.run("--spring.main.web-application-type=none");
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	static Stream<Arguments> shapes() {
		return Stream.of(Shape.values())
			.flatMap((shape) -> Stream.of(Kind.values()).map((kind) -> Arguments.of(shape, kind)));
	}

	@ParameterizedTest(name = "{1} from {0}")
	@MethodSource("shapes")
	@Timeout(30)
	void bodyFailureReachesTheCallerAsItselfWithTheCallersSiteInTheTrace(Shape shape, Kind kind, TestInfo test)
			throws Exception {
		Beans beans = context.getBean(Beans.class);
		Observed observed;
		try {
			observed = shape.observe(beans, kind);
		}
		catch (AssertionError ex) {
			throw new AssertionError(kind + " from " + shape + ": " + ex.getMessage(), ex);
		}
		Throwable thrown = beans.bodies().thrown.get();
		assertThat(thrown).isNotNull();
		assertThat(observed.signal()).as("what reached the caller of %s from %s", kind, shape).isSameAs(thrown);
		if (shape == Shape.OFFLOAD_VOID) {
			assertThat(observed.trace().getMessage()).contains("Thrower.offloadVoid");
			return;
		}
		String caller = test.getTestMethod().orElseThrow().getName();
		assertThat(frames(observed.trace()))
			.as("%s from %s: the caller's site in the trace of %s", kind, shape, observed.trace())
			.anyMatch((frame) -> frame.getClassName().equals(ExceptionTransparencyTests.class.getName())
					&& frame.getMethodName().equals(caller));
	}

	/** Every frame of the throwable, its causes and suppressed exceptions. */
	private static List<StackTraceElement> frames(Throwable throwable) {
		List<StackTraceElement> frames = new ArrayList<>();
		collect(throwable, frames, Collections.newSetFromMap(new IdentityHashMap<>()));
		return frames;
	}

	private static void collect(Throwable throwable, List<StackTraceElement> frames, Set<Throwable> seen) {
		if (throwable == null || !seen.add(throwable)) {
			return;
		}
		frames.addAll(List.of(throwable.getStackTrace()));
		collect(throwable.getCause(), frames, seen);
		for (Throwable suppressed : throwable.getSuppressed()) {
			collect(suppressed, frames, seen);
		}
	}

	/**
	 * What the caller got: the failure as delivered, and the trace its wait produced.
	 */
	record Observed(Throwable signal, Throwable trace) {

		/** A synchronous call: the exception thrown is both. */
		static Observed thrownBy(Callable<?> call) {
			try {
				call.call();
			}
			catch (Throwable ex) {
				return new Observed(ex, ex);
			}
			throw new AssertionError("the call did not fail");
		}

		/** A loop call whose signature wraps a checked failure once. */
		static Observed thrownByLoop(Callable<?> call) {
			Observed observed = thrownBy(call);
			Throwable signal = observed.signal();
			if (signal instanceof CompletionException && !(signal.getCause() instanceof RuntimeException)
					&& !(signal.getCause() instanceof Error)) {
				return new Observed(signal.getCause(), signal);
			}
			return observed;
		}

		static Observed future(CompletableFuture<?> future) throws Exception {
			Throwable signal = signal(future);
			try {
				future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				assertThat(ex.getCause()).isSameAs(signal);
				return new Observed(signal, ex);
			}
			throw new AssertionError("the future did not fail");
		}

		private static Throwable signal(CompletableFuture<?> future) throws Exception {
			try {
				return future.handle((value, failure) -> failure).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				throw new AssertionError("the failure did not reach the caller within " + WAIT.toMillis() + " ms", ex);
			}
		}

		/**
		 * A {@code Mono} or {@code Flux}: the error signal of one subscription, and what
		 * blocking on a second one throws (Reactor wraps a checked exception or an
		 * {@code Error} there, and adds the blocking caller's site).
		 */
		static Observed reactive(Beans beans, Mono<?> source) throws Exception {
			Throwable signal = signal(source.toFuture());
			AtomicReference<Throwable> thrown = beans.bodies().thrown;
			Throwable first = thrown.get();
			try {
				source.block(WAIT);
			}
			catch (RuntimeException ex) {
				assertThat(Exceptions.unwrap(ex)).isSameAs(thrown.get());
				thrown.set(first);
				return new Observed(signal, ex);
			}
			throw new AssertionError("the second subscription did not fail");
		}

	}

	enum Kind {

		CHECKED, UNCHECKED, ERROR

	}

	/**
	 * How the caller calls: each declared return type of both annotations, and the beans.
	 */
	enum Shape {

		OFFLOAD_MONO((beans, kind) -> Observed.reactive(beans, beans.thrower().offloadMono(kind))),

		OFFLOAD_FLUX((beans, kind) -> Observed.reactive(beans, beans.thrower().offloadFlux(kind).collectList())),

		OFFLOAD_FUTURE((beans, kind) -> Observed.future(beans.thrower().offloadFuture(kind))),

		OFFLOAD_VOID(Shape::observeLoggedVoid),

		LOOP_MONO((beans, kind) -> Observed.reactive(beans, beans.thrower().loopMono(kind))),

		LOOP_FLUX((beans, kind) -> Observed.reactive(beans, beans.thrower().loopFlux(kind).collectList())),

		LOOP_FUTURE((beans, kind) -> Observed.future(beans.thrower().loopFuture(kind))),

		LOOP_SYNC((beans, kind) -> Observed.thrownBy(() -> beans.thrower().loopSync(kind))),

		LOOP_SYNC_WITH_TIMEOUT((beans, kind) -> Observed.thrownBy(() -> beans.thrower().loopSyncWithTimeout(kind))),

		LOOP_VOID((beans, kind) -> Observed.thrownBy(() -> {
			beans.thrower().loopVoid(kind);
			return null;
		})),

		LOOP_RUNNER_CALL(
				(beans, kind) -> Observed.thrownByLoop(() -> beans.loop().call(beans.bodies().callable(kind)))),

		LOOP_RUNNER_RUN((beans, kind) -> Observed
			.thrownByLoop(() -> beans.loop().run(Mono.fromCallable(beans.bodies().callable(kind))))),

		LOOP_RUNNER_SUBMIT((beans, kind) -> Observed
			.future(beans.loop().submit(Mono.fromCallable(beans.bodies().callable(kind))))),

		OFFLOADER_FUTURE((beans, kind) -> Observed.future(beans.offloader().future(beans.bodies().callable(kind)))),

		OFFLOADER_MONO(
				(beans, kind) -> Observed.reactive(beans, beans.offloader().mono(beans.bodies().callable(kind))));

		private final Observer observer;

		Shape(Observer observer) {
			this.observer = observer;
		}

		Observed observe(Beans beans, Kind kind) throws Exception {
			return this.observer.observe(beans, kind);
		}

		/** A void method reports its failure only in a log line: read it from there. */
		private static Observed observeLoggedVoid(Beans beans, Kind kind) throws Exception {
			Logger logger = (Logger) LoggerFactory.getLogger("dev.bridge.autoconfigure.aop.VoidReturnTypeHandler");
			ListAppender<ILoggingEvent> appender = new ListAppender<>();
			appender.start();
			Level level = logger.getLevel();
			boolean additive = logger.isAdditive();
			logger.addAppender(appender);
			logger.setLevel(Level.WARN);
			logger.setAdditive(false);
			try {
				beans.thrower().offloadVoid(kind);
				await().atMost(WAIT).until(() -> !appender.list.isEmpty());
				ILoggingEvent event = appender.list.get(0);
				Throwable logged = ((ThrowableProxy) event.getThrowableProxy()).getThrowable();
				return new Observed(logged, new IllegalStateException(event.getFormattedMessage()));
			}
			finally {
				logger.detachAppender(appender);
				logger.setLevel(level);
				logger.setAdditive(additive);
			}
		}

		@FunctionalInterface
		interface Observer {

			Observed observe(Beans beans, Kind kind) throws Exception;

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, BridgeAutoConfiguration.class,
			BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class })
	static class ThrowingConfiguration {

		@Bean
		Bodies bodies() {
			return new Bodies();
		}

		@Bean
		Thrower thrower(Bodies bodies) {
			return new Thrower(bodies);
		}

		@Bean
		Beans beans(Thrower thrower, Bodies bodies, LoopRunner loop, Offloader offloader) {
			return new Beans(thrower, bodies, loop, offloader);
		}

	}

	static class BodyCheckedException extends Exception {

		private static final long serialVersionUID = 1L;

		BodyCheckedException() {
			super("checked, from the body");
		}

	}

	static class BodyUncheckedException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		BodyUncheckedException() {
			super("unchecked, from the body");
		}

	}

	static class BodyError extends Error {

		private static final long serialVersionUID = 1L;

		BodyError() {
			super("error, from the body");
		}

	}

	/**
	 * The beans a call goes through.
	 */
	record Beans(Thrower thrower, Bodies bodies, LoopRunner loop, Offloader offloader) {

	}

	/**
	 * Bodies that throw a new exception of the given kind and remember it. They live in
	 * this class, so their frames never pass for the caller's.
	 */
	static class Bodies {

		final AtomicReference<Throwable> thrown = new AtomicReference<>();

		<T> T fail(Kind kind) throws BodyCheckedException {
			switch (kind) {
				case CHECKED -> {
					BodyCheckedException ex = new BodyCheckedException();
					this.thrown.set(ex);
					throw ex;
				}
				case UNCHECKED -> {
					BodyUncheckedException ex = new BodyUncheckedException();
					this.thrown.set(ex);
					throw ex;
				}
				default -> {
					BodyError error = new BodyError();
					this.thrown.set(error);
					throw error;
				}
			}
		}

		<T> Callable<T> callable(Kind kind) {
			return () -> fail(kind);
		}

	}

	/**
	 * The annotated methods, each running a failing body.
	 */
	static class Thrower {

		private final Bodies bodies;

		Thrower(Bodies bodies) {
			this.bodies = bodies;
		}

		@OffloadBlocking
		public Mono<String> offloadMono(Kind kind) throws BodyCheckedException {
			return this.bodies.fail(kind);
		}

		@OffloadBlocking
		public Flux<String> offloadFlux(Kind kind) throws BodyCheckedException {
			return this.bodies.fail(kind);
		}

		@OffloadBlocking
		public CompletableFuture<String> offloadFuture(Kind kind) throws BodyCheckedException {
			return this.bodies.fail(kind);
		}

		@OffloadBlocking
		public void offloadVoid(Kind kind) throws BodyCheckedException {
			this.bodies.fail(kind);
		}

		@RunOnLoop
		public Mono<String> loopMono(Kind kind) throws BodyCheckedException {
			return this.bodies.fail(kind);
		}

		@RunOnLoop
		public Flux<String> loopFlux(Kind kind) throws BodyCheckedException {
			return this.bodies.fail(kind);
		}

		@RunOnLoop
		public CompletableFuture<String> loopFuture(Kind kind) throws BodyCheckedException {
			return this.bodies.fail(kind);
		}

		@RunOnLoop
		public String loopSync(Kind kind) throws BodyCheckedException {
			return this.bodies.fail(kind);
		}

		@RunOnLoop(timeout = "3s")
		public String loopSyncWithTimeout(Kind kind) throws BodyCheckedException {
			return this.bodies.fail(kind);
		}

		@RunOnLoop
		public void loopVoid(Kind kind) throws BodyCheckedException {
			this.bodies.fail(kind);
		}

	}

}
