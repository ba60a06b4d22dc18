/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.isolation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, item 4, through the public API: every task the loop runs, wrapped by Bridge
 * or a raw Reactor continuation on {@link LoopRunner#scheduler()}, starts from the loop's
 * clean context and leaves nothing behind; and a continuation of work a caller started
 * ({@code publishOn}, {@code Mono.delay} on the loop) sees that caller's context.
 */
@Timeout(30)
class LoopIsolationTests {

	private static final ThreadLocal<String> USER = new ThreadLocal<>();

	private final ContextRegistry registry = new ContextRegistry().registerThreadLocalAccessor(new UserAccessor());

	private final LoopRunner loop = LoopRunner.builder()
		.contextCapture(ContextCapture.of(this.registry, false))
		.build();

	@AfterEach
	void close() {
		this.loop.close();
		USER.remove();
	}

	@Test
	void aRawLoopTaskDoesNotSeeWhatThePreviousTaskLeftBehind() throws Exception {
		Scheduler scheduler = this.loop.scheduler();
		CountDownLatch left = new CountDownLatch(1);
		// bob's code, run as a raw task, sets the value and does not remove it.
		runAs("bob", () -> scheduler.schedule(() -> {
			USER.set("bob");
			left.countDown();
		}));
		assertThat(left.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<String> seen = new CompletableFuture<>();
		scheduler.schedule(() -> seen.complete(String.valueOf(USER.get())));
		assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("null");
		assertThat(this.loop.call(() -> String.valueOf(USER.get()))).isEqualTo("null");
	}

	@Test
	void continuationsOnTheLoopSeeTheContextOfTheCallerWhoseWorkTheyContinue() throws Exception {
		Scheduler scheduler = this.loop.scheduler();
		// bob keeps leaving his name on the loop thread.
		CompletableFuture<Void> bobDone = new CompletableFuture<>();
		runAs("bob",
				() -> Flux.range(0, 50)
					.concatMap((i) -> Mono.delay(Duration.ofMillis(1), scheduler).doOnNext((tick) -> USER.set("bob")))
					.then()
					.subscribe(null, bobDone::completeExceptionally, () -> bobDone.complete(null)));
		USER.set("alice");
		List<String> afterDelay = Flux.range(0, 20)
			.concatMap((i) -> Mono.delay(Duration.ofMillis(1), scheduler).map((tick) -> String.valueOf(USER.get())))
			.collectList()
			.block(Duration.ofSeconds(10));
		List<String> afterPublishOn = Flux.range(0, 20)
			.publishOn(scheduler)
			.map((i) -> String.valueOf(USER.get()))
			.collectList()
			.block(Duration.ofSeconds(10));
		USER.remove();
		bobDone.get(10, TimeUnit.SECONDS);
		assertThat(afterDelay).containsOnly("alice");
		assertThat(afterPublishOn).containsOnly("alice");
		// An anonymous caller's continuation sees nobody.
		assertThat(Mono.delay(Duration.ofMillis(1), scheduler)
			.map((tick) -> String.valueOf(USER.get()))
			.block(Duration.ofSeconds(10))).isEqualTo("null");
	}

	private static void runAs(String user, Runnable action) throws InterruptedException {
		Thread thread = new Thread(() -> {
			USER.set(user);
			action.run();
		}, "caller-" + user);
		thread.start();
		thread.join(10_000);
	}

	static final class UserAccessor implements ThreadLocalAccessor<String> {

		@Override
		public Object key() {
			return "test.user";
		}

		@Override
		public String getValue() {
			return USER.get();
		}

		@Override
		public void setValue(String value) {
			USER.set(value);
		}

		@Override
		public void setValue() {
			USER.remove();
		}

	}

}
