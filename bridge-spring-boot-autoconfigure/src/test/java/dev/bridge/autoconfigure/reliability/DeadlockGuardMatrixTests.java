/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.loop.LoopDeadlockException;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7, item 7: every way of waiting for Bridge work, called from the three places
 * where a wait could never end — the loop thread, a real Netty event loop (a request
 * handler of a reactor-netty server on a random port) and an offload worker whose own
 * pool is full — either completes or fails at once with the documented error; none hangs.
 * Waits the guard does not cover are bounded here by two seconds, so a missing guard
 * shows as a slow failure instead of a hung build.
 */
class DeadlockGuardMatrixTests {

	/** How long a wait may take to fail for the failure to count as "at once". */
	private static final Duration FAST = Duration.ofMillis(500);

	private static final Duration BOUND = Duration.ofSeconds(2);

	private static ConfigurableApplicationContext context;

	private static DisposableServer server;

	private static HttpClient client;

	private static final Map<String, Runnable> nettyTasks = new ConcurrentHashMap<>();

	@BeforeAll
	static void start() {
		context = new SpringApplicationBuilder(MatrixConfiguration.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "bridge.offload.threads=platform",
					"bridge.offload.pools.tiny.max-concurrency=1", "bridge.offload.pools.tiny.queue-capacity=10",
					"bridge.loop.call-timeout=5s", "bridge.shutdown.timeout=1s")
			// The module's test application.properties asks for a reactive web
			// application;
			// only an argument outranks it.
			.run("--spring.main.web-application-type=none");
		server = HttpServer.create()
			.host("localhost")
			.port(0)
			.route((routes) -> routes.get("/{task}", (request, response) -> {
				Runnable task = nettyTasks.remove(request.param("task"));
				if (task != null) {
					task.run();
				}
				return response.sendString(Mono.just("done"));
			}))
			.bindNow(Duration.ofSeconds(10));
		client = HttpClient.create().host("localhost").port(server.port());
	}

	@AfterAll
	static void stop() {
		server.disposeNow(Duration.ofSeconds(5));
		context.close();
	}

	static Stream<Arguments> matrix() {
		return Stream.of(Caller.values())
			.flatMap((caller) -> Stream.of(Api.values()).map((api) -> Arguments.of(caller, api)));
	}

	@ParameterizedTest(name = "{1} from {0}")
	@MethodSource("matrix")
	@Timeout(30)
	void waitingCompletesOrFailsFastWithTheDocumentedError(Caller caller, Api api) throws Exception {
		Attempt attempt = caller.attempt(api, context.getBean(Waits.class));
		assertThat(attempt.thread()).startsWith(caller.threadPrefix);
		assertThat(attempt.nonBlocking()).isEqualTo(caller != Caller.OFFLOAD_WORKER);
		Expect expected = api.expected(caller);
		if (attempt.failure() == null) {
			assertThat(expected).as("%s from %s completed, but must fail fast", api, caller).isNotEqualTo(Expect.FAIL);
			assertThat(attempt.value()).isEqualTo(api.value);
			return;
		}
		assertThat(expected).as("%s from %s failed with %s", api, caller, attempt.failure())
			.isNotEqualTo(Expect.COMPLETE);
		assertThat(attempt.took())
			.as("%s from %s failed after %d ms with %s, not at once", api, caller, attempt.took().toMillis(),
					attempt.failure())
			.isLessThan(FAST);
		Throwable failure = Reliability.unwrap(attempt.failure());
		if (api.reactorBlock) {
			// Reactor's own guard for block() on a NonBlocking thread.
			assertThat(failure).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("not supported in thread " + attempt.thread());
		}
		else {
			assertThat(failure).isInstanceOf(LoopDeadlockException.class).hasMessageContaining(attempt.thread());
		}
	}

	/**
	 * The outcome of one wait, and how long it took.
	 */
	record Attempt(@Nullable Object value, @Nullable Throwable failure, Duration took, String thread,
			boolean nonBlocking) {

		static Attempt of(Api api, Waits waits) {
			long start = System.nanoTime();
			String thread = Thread.currentThread().getName();
			boolean nonBlocking = Schedulers.isInNonBlockingThread();
			try {
				Object value = api.wait.call(waits);
				return new Attempt(value, null, Duration.ofNanos(System.nanoTime() - start), thread, nonBlocking);
			}
			catch (Throwable ex) {
				return new Attempt(null, ex, Duration.ofNanos(System.nanoTime() - start), thread, nonBlocking);
			}
		}

	}

	enum Expect {

		COMPLETE, FAIL, EITHER

	}

	/**
	 * Where the wait is made.
	 */
	enum Caller {

		/** The loop thread, through a task submitted to the loop. */
		LOOP("bridge-loop-") {
			@Override
			Attempt attempt(Api api, Waits waits) throws Exception {
				return waits.loop.submit(Mono.fromCallable(() -> Attempt.of(api, waits))).get(20, TimeUnit.SECONDS);
			}
		},

		/** A reactor-netty event loop, in the handler of an HTTP request. */
		NETTY("reactor-http-") {
			@Override
			Attempt attempt(Api api, Waits waits) throws Exception {
				CompletableFuture<Attempt> attempt = new CompletableFuture<>();
				String task = UUID.randomUUID().toString();
				nettyTasks.put(task, () -> attempt.complete(Attempt.of(api, waits)));
				String response = client.get()
					.uri("/" + task)
					.responseContent()
					.aggregate()
					.asString()
					.block(Duration.ofSeconds(20));
				assertThat(response).isEqualTo("done");
				return attempt.get(20, TimeUnit.SECONDS);
			}
		},

		/** The only worker of the {@code tiny} pool, so that pool is full. */
		OFFLOAD_WORKER("bridge-offload-tiny-") {
			@Override
			Attempt attempt(Api api, Waits waits) throws Exception {
				return waits.tiny.future(() -> {
					assertThat(waits.tiny.stats().active()).isEqualTo(waits.tiny.stats().limit());
					return Attempt.of(api, waits);
				}).get(20, TimeUnit.SECONDS);
			}
		};

		final String threadPrefix;

		Caller(String threadPrefix) {
			this.threadPrefix = threadPrefix;
		}

		abstract Attempt attempt(Api api, Waits waits) throws Exception;

	}

	/**
	 * The ways of waiting for Bridge work.
	 */
	enum Api {

		LOOP_RUN("run", (waits) -> waits.loop.run(Mono.just("run"))),

		LOOP_RUN_WITH_TIMEOUT("run", (waits) -> waits.loop.run(Mono.just("run"), BOUND)),

		LOOP_CALL("call", (waits) -> waits.loop.call(() -> "call")),

		LOOP_STREAM("a,b", (waits) -> {
			try (Stream<String> items = waits.loop.stream(Flux.just("a", "b"))) {
				return String.join(",", items.toList());
			}
		}),

		LOOP_MANAGE("resource", (waits) -> waits.loop.manage(Mono.just("resource"), (resource) -> Mono.empty())),

		LOOP_SUBMIT_GET("submit", (waits) -> waits.loop.submit(Mono.just("submit")).get()),

		LOOP_SUBMIT_GET_WITH_TIMEOUT("submit",
				(waits) -> waits.loop.submit(Mono.just("submit")).get(BOUND.toMillis(), TimeUnit.MILLISECONDS)),

		LOOP_SUBMIT_JOIN("submit", (waits) -> waits.loop.submit(Mono.just("submit")).join()),

		RUN_ON_LOOP_SYNC("sync", (waits) -> waits.service.loopSync()),

		RUN_ON_LOOP_SYNC_WITH_TIMEOUT("sync", (waits) -> waits.service.loopSyncWithTimeout()),

		RUN_ON_LOOP_VOID("void", (waits) -> {
			waits.service.loopVoid();
			return "void";
		}),

		RUN_ON_LOOP_FUTURE_GET("future",
				(waits) -> waits.service.loopFuture().get(BOUND.toMillis(), TimeUnit.MILLISECONDS)),

		RUN_ON_LOOP_MONO_BLOCK("mono", true, (waits) -> waits.service.loopMono().block(BOUND)),

		OFFLOADER_FUTURE_GET("offloaded",
				(waits) -> waits.tiny.future(() -> "offloaded").get(BOUND.toMillis(), TimeUnit.MILLISECONDS)),

		OFFLOADER_MONO_BLOCK("offloaded", true, (waits) -> waits.tiny.mono(() -> "offloaded").block(BOUND)),

		OFFLOADER_FLUX_BLOCK("[a, b]", true,
				(waits) -> String.valueOf(waits.tiny.flux(() -> Stream.of("a", "b")).collectList().block(BOUND))),

		OFFLOAD_FUTURE_GET("offloaded",
				(waits) -> waits.service.offloadFuture().get(BOUND.toMillis(), TimeUnit.MILLISECONDS)),

		OFFLOAD_MONO_BLOCK("offloaded", true, (waits) -> waits.service.offloadMono().block(BOUND));

		final String value;

		final boolean reactorBlock;

		final Wait wait;

		Api(String value, Wait wait) {
			this(value, false, wait);
		}

		Api(String value, boolean reactorBlock, Wait wait) {
			this.value = value;
			this.reactorBlock = reactorBlock;
			this.wait = wait;
		}

		/**
		 * What the design promises for this wait from {@code caller}: on the loop,
		 * {@code call} and sync {@code @RunOnLoop} run inline, and every other wait could
		 * only end after the waiting task (the loop's work, or an offloaded result that
		 * resumes on the loop) so it must fail; on an event loop, every wait on the loop
		 * fails, while a wait for work already done may return; on an offload worker
		 * nothing is forbidden, and a nested call on its own full pool runs inline.
		 */
		Expect expected(Caller caller) {
			return switch (caller) {
				case LOOP -> switch (this) {
					case LOOP_CALL, RUN_ON_LOOP_SYNC, RUN_ON_LOOP_SYNC_WITH_TIMEOUT, RUN_ON_LOOP_VOID ->
						Expect.COMPLETE;
					default -> Expect.FAIL;
				};
				case NETTY -> switch (this) {
					case LOOP_SUBMIT_GET, LOOP_SUBMIT_GET_WITH_TIMEOUT, LOOP_SUBMIT_JOIN, RUN_ON_LOOP_FUTURE_GET,
							OFFLOADER_FUTURE_GET, OFFLOAD_FUTURE_GET ->
						Expect.EITHER;
					default -> Expect.FAIL;
				};
				case OFFLOAD_WORKER -> Expect.COMPLETE;
			};
		}

	}

	@FunctionalInterface
	interface Wait {

		@Nullable Object call(Waits waits) throws Exception;

	}

	/**
	 * The beans the waits use.
	 */
	static class Waits {

		final LoopRunner loop;

		final Offloader tiny;

		final WaitingService service;

		Waits(LoopRunner loop, Offloader offloader, WaitingService service) {
			this.loop = loop;
			this.tiny = offloader.pool("tiny");
			this.service = service;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, BridgeAutoConfiguration.class,
			BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class })
	static class MatrixConfiguration {

		@Bean
		WaitingService waitingService() {
			return new WaitingService();
		}

		@Bean
		Waits waits(LoopRunner loop, Offloader offloader, WaitingService service) {
			return new Waits(loop, offloader, service);
		}

	}

	static class WaitingService {

		@RunOnLoop
		public String loopSync() {
			return "sync";
		}

		@RunOnLoop(timeout = "2s")
		public String loopSyncWithTimeout() {
			return "sync";
		}

		@RunOnLoop
		public void loopVoid() {
		}

		@RunOnLoop
		public CompletableFuture<String> loopFuture() {
			return CompletableFuture.completedFuture("future");
		}

		@RunOnLoop
		public Mono<String> loopMono() {
			return Mono.just("mono");
		}

		@OffloadBlocking(pool = "tiny")
		public CompletableFuture<String> offloadFuture() {
			return CompletableFuture.completedFuture("offloaded");
		}

		@OffloadBlocking(pool = "tiny")
		public Mono<String> offloadMono() {
			return Mono.just("offloaded");
		}

	}

}
