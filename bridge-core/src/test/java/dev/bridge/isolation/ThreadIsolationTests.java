/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.isolation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 20, items 2 and 3, through the public API: no thread Bridge creates inherits the
 * {@code InheritableThreadLocal}s of the caller that made it be created, and a virtual
 * pool runs every call, queued ones too, on a thread of its own.
 */
@Timeout(30)
class ThreadIsolationTests {

	private static final InheritableThreadLocal<String> TENANT = new InheritableThreadLocal<>();

	private static final ThreadLocal<String> UNREGISTERED = new ThreadLocal<>();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private Offloader offloader(ThreadMode threads) {
		Offloader offloader = Offloader.builder()
			.contextCapture(ContextCapture.of(false))
			.defaultPool((spec) -> spec.threads(threads).maxConcurrency(1))
			.build();
		this.closeables.add(() -> offloader.finishShutdown(Duration.ZERO));
		return offloader;
	}

	@Test
	void platformWorkersDoNotInheritTheTenantOfTheCallerThatStartedThem() throws Exception {
		assertNoTenantSeen(offloader(ThreadMode.PLATFORM));
	}

	@Test
	void virtualWorkersDoNotInheritTheTenantOfTheirCaller() throws Exception {
		assumeTrue(ThreadMode.virtualThreadsAvailable(), "virtual threads need Java 21+");
		assertNoTenantSeen(offloader(ThreadMode.VIRTUAL));
	}

	private static void assertNoTenantSeen(Offloader offloader) throws Exception {
		// alice's call needs the pool's first thread; bob's call reuses it on a platform
		// pool.
		assertThat(callAs("alice-tenant", () -> offloader.future(TENANT::get).get(10, TimeUnit.SECONDS)))
			.as("alice's body")
			.isNull();
		assertThat(callAs("bob-tenant", () -> offloader.future(TENANT::get).get(10, TimeUnit.SECONDS))).as("bob's body")
			.isNull();
	}

	@Test
	void theLoopThreadDoesNotInheritTheTenantOfTheThreadThatCreatedIt() throws Exception {
		LoopRunner loop = callAs("alice-tenant",
				() -> LoopRunner.builder().contextCapture(ContextCapture.of(false)).build());
		this.closeables.add(loop);
		assertThat(callAs("bob-tenant", () -> loop.call(TENANT::get))).isNull();
	}

	@Test
	void aVirtualPoolRunsAQueuedCallOnANewThreadNotOnTheOneThatRanThePreviousCall() throws Exception {
		assumeTrue(ThreadMode.virtualThreadsAvailable(), "virtual threads need Java 21+");
		Offloader offloader = offloader(ThreadMode.VIRTUAL);
		CountDownLatch aliceStarted = new CountDownLatch(1);
		CountDownLatch releaseAlice = new CountDownLatch(1);
		CompletableFuture<Integer> alice = offloader.future(() -> {
			UNREGISTERED.set("alice");
			aliceStarted.countDown();
			releaseAlice.await(10, TimeUnit.SECONDS);
			return System.identityHashCode(Thread.currentThread());
		});
		assertThat(aliceStarted.await(10, TimeUnit.SECONDS)).isTrue();
		// The pool's one slot is alice's: bob's call waits in the queue.
		CompletableFuture<String> bob = offloader
			.future(() -> UNREGISTERED.get() + "@" + System.identityHashCode(Thread.currentThread()));
		assertThat(offloader.stats().queued()).isEqualTo(1);
		releaseAlice.countDown();
		int aliceThread = alice.get(10, TimeUnit.SECONDS);
		assertThat(bob.get(10, TimeUnit.SECONDS)).as("what bob's queued call saw, and on which thread")
			.isNotEqualTo("alice@" + aliceThread)
			.startsWith("null@")
			.isNotEqualTo("null@" + aliceThread);
	}

	private static <T> T callAs(String tenant, Callable<T> call) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread caller = new Thread(() -> {
			TENANT.set(tenant);
			try {
				result.complete(call.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "caller-" + tenant);
		caller.start();
		return result.get(20, TimeUnit.SECONDS);
	}

}
