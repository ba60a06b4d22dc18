/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import static dev.bridge.test.BridgeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link BridgeRecorder} over hand-built offloaders and loop runners: quiescence and
 * routing records without Spring.
 */
class BridgeRecorderTests {

	private final BridgeRecorder recorder = BridgeRecorder.create();

	private final Offloader offloader = this.recorder.record(Offloader.builder()
		.pool("jdbc", (pool) -> pool.maxConcurrency(2))
		.pool("cpu", (pool) -> pool.threads(ThreadMode.PLATFORM))
		.contextCapture(ContextCapture.of(true))
		.build());

	private final LoopRunner loop = this.recorder
		.record(LoopRunner.builder().threadName("recorder-loop").contextCapture(ContextCapture.of(true)).build());

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.release.countDown();
		this.loop.close();
		this.offloader.finishShutdown(Duration.ofSeconds(5));
	}

	@Test
	void quiescenceWaitsForAFireAndForgetCallAndNamesItWhileItRuns() throws Exception {
		AtomicBoolean written = new AtomicBoolean();
		this.offloader.pool("jdbc").named("Audit.write").future(() -> {
			this.release.await();
			written.set(true);
			return null;
		});

		assertThat(this.recorder.isQuiescent()).isFalse();
		assertThatExceptionOfType(QuiescenceTimeoutError.class)
			.isThrownBy(() -> this.recorder.awaitQuiescence(Duration.ofMillis(50)))
			.withMessageContaining("still in flight after 50 ms")
			.withMessageContaining("Audit.write on offload pool 'jdbc': running for")
			.withMessageContaining("on thread bridge-offload-jdbc-")
			.withMessageContaining("CountDownLatch.await")
			.withMessageContaining("release it or cancel the call");

		this.release.countDown();
		this.recorder.awaitQuiescence();
		assertThat(written).isTrue();
		assertThat(this.recorder.inFlight()).isEmpty();
	}

	@Test
	void quiescenceWaitsForCallsThatInFlightCallsMake() {
		AtomicInteger finished = new AtomicInteger();
		this.offloader.future(() -> {
			this.release.await();
			this.offloader.pool("cpu").future(() -> {
				this.release.await();
				return finished.incrementAndGet();
			});
			return finished.incrementAndGet();
		});

		this.release.countDown();
		this.recorder.awaitQuiescence();

		assertThat(finished).hasValue(2);
	}

	@Test
	void aCancelledCallIsInFlightUntilItsBodyReturns() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<Object> call = this.offloader.named("Stubborn.run").future(() -> {
			started.countDown();
			while (true) {
				try {
					this.release.await();
					return null;
				}
				catch (InterruptedException ex) {
					// ignores the cancel's interrupt: it only ends when released
				}
			}
		});
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

		call.cancel(true);

		assertThat(call).isCancelled();
		assertThatExceptionOfType(QuiescenceTimeoutError.class)
			.isThrownBy(() -> this.recorder.awaitQuiescence(Duration.ofMillis(20)))
			.withMessageContaining("Stubborn.run on offload pool 'default': running for");
		this.release.countDown();
		this.recorder.awaitQuiescence();
	}

	@Test
	void aMonoIsInFlightFromItsSubscriptionUntilItEnds() {
		Mono<String> lazy = this.offloader.mono(() -> {
			this.release.await();
			return "done";
		});
		assertThat(this.recorder.isQuiescent()).isTrue();

		CompletableFuture<String> result = lazy.toFuture();

		assertThat(this.recorder.isQuiescent()).isFalse();
		this.release.countDown();
		this.recorder.awaitQuiescence();
		assertThat(result).isCompletedWithValue("done");
	}

	@Test
	void loopWorkIsInFlightUntilItEndsAndIsNamedWithTheLoop() {
		CompletableFuture<Object> never = this.loop.named("Board.watch").submit(Mono.never());

		assertThatExceptionOfType(QuiescenceTimeoutError.class)
			.isThrownBy(() -> this.recorder.awaitQuiescence(Duration.ofMillis(20)))
			.withMessageContaining("Board.watch on loop recorder-loop-");

		never.cancel(true);
		this.recorder.awaitQuiescence();
	}

	@Test
	void routesRecordPoolLoopThreadKindCallerAndContext() throws Exception {
		MDC.put("request", "r-1");
		try {
			this.offloader.pool("jdbc").named("Orders.find").future(() -> 1).get(10, TimeUnit.SECONDS);
			this.offloader.pool("cpu").named("Prices.crunch").future(() -> 2).get(10, TimeUnit.SECONDS);
			this.loop.named("Board.publish").call(() -> 3);
			this.loop.named("Board.fetch").run(Mono.fromCallable(() -> 4));
		}
		finally {
			MDC.remove("request");
		}
		this.recorder.awaitQuiescence();

		assertThat(this.recorder).ran("Orders.find").onPool("jdbc").offTheCallingThread().withMdc("request", "r-1");
		assertThat(this.recorder).ran("Prices.crunch").onPool("cpu").onPlatformThreads().times(1);
		assertThat(this.recorder).ran("Board.publish").onLoop().withMdc("request", "r-1");
		assertThat(this.recorder).ran("Board.fetch").onLoop();
		assertThat(this.recorder).didNotRun("Orders.delete").isQuiescent();
		assertThat(this.recorder.calls()).extracting(BridgeCall::callerThread)
			.containsOnly(Thread.currentThread().getName());
	}

	@Test
	void routingAssertionsSayWhatRanWhereWhenTheyFail() throws Exception {
		this.offloader.named("Orders.find").future(() -> 1).get(10, TimeUnit.SECONDS);
		this.recorder.awaitQuiescence();

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).ran("Orders.find").onPool("jdbc"))
			.withMessageContaining("Expected every call of Orders.find to run on pool 'jdbc', but 1 of 1 did not")
			.withMessageContaining("Orders.find on pool 'default'");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).ran("Orders.findAll"))
			.withMessageContaining("Expected Bridge to have run Orders.findAll, but it did not; it ran [Orders.find]");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.recorder).didNotRun("Orders.find"))
			.withMessageContaining("ran 1 times");
	}

	@Test
	void clearForgetsRecordedCalls() throws Exception {
		this.offloader.future(() -> 1).get(10, TimeUnit.SECONDS);
		this.recorder.awaitQuiescence();
		assertThat(this.recorder.callCount()).isEqualTo(1);

		this.recorder.clear();

		assertThat(this.recorder.calls()).isEmpty();
		assertThat(this.recorder.callCount()).isZero();
	}

	@Test
	void recordingTwiceReturnsTheSameRecordedInstance() {
		assertThat(this.recorder.record(this.offloader)).isSameAs(this.offloader);
		assertThat(this.recorder.record(this.loop)).isSameAs(this.loop);
	}

}
