/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopTimeoutException;
import dev.bridge.offload.OffloadTimeoutException;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Bridge's timeouts on a {@link VirtualClock}: they fire when the test advances virtual
 * time, not after the real delay, so each test here takes milliseconds although every
 * timeout is 30 s or more.
 */
class VirtualClockTests {

	private final VirtualClock clock = VirtualClock.create();

	private final Offloader offloader = Offloader.builder()
		.pool("jdbc", (pool) -> pool.timeout(Duration.ofSeconds(30)))
		.timer(this.clock.scheduler())
		.build();

	private final LoopRunner loop = LoopRunner.builder()
		.callTimeout(Duration.ofSeconds(30))
		.timer(this.clock.scheduler())
		.build();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.release.countDown();
		this.loop.close();
		this.offloader.finishShutdown(Duration.ofSeconds(5));
	}

	@Test
	void aPoolTimeoutFiresWhenVirtualTimeReachesIt() {
		CompletableFuture<Object> call = this.offloader.pool("jdbc")
			.named("Orders.find")
			.future(() -> this.release.await(1, TimeUnit.HOURS));

		this.clock.advanceBy(Duration.ofSeconds(29));
		assertThat(call).isNotDone();
		this.clock.advanceBy(Duration.ofSeconds(1));

		assertThat(call).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(OffloadTimeoutException.class)
			.withMessageContaining("Orders.find on offload pool 'jdbc' did not finish within 30000 ms");
		assertThat(this.clock.elapsed()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void aPerCallTimeoutOfAMonoFiresWhenVirtualTimeReachesIt() {
		StepVerifier
			.create(this.offloader.timeout(Duration.ofMinutes(5)).mono(() -> this.release.await(1, TimeUnit.HOURS)))
			.then(() -> this.clock.advanceBy(Duration.ofMinutes(5)))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(OffloadTimeoutException.class)
				.hasMessageContaining("did not finish within 300000 ms"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void aCallThatFinishesInTimeDisposesItsTimeout() throws Exception {
		assertThat(this.offloader.pool("jdbc").future(() -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok");

		this.clock.advanceBy(Duration.ofMinutes(1));

		assertThat(this.offloader.pool("jdbc").stats().cancelled()).isZero();
	}

	@Test
	void aSynchronousLoopWaitTimesOutWhenVirtualTimeReachesTheCallTimeout() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CompletableFuture<Object> caller = CompletableFuture
			.supplyAsync(() -> this.loop.named("Board.refresh").call(() -> {
				running.countDown();
				return this.release.await(1, TimeUnit.HOURS);
			}));
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

		this.clock.advanceBy(Duration.ofSeconds(30));

		assertThat(caller).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(LoopTimeoutException.class)
			.withMessageContaining("call(Callable) for Board.refresh timed out after 30000 ms");
	}

	@Test
	void virtualTimeOnlyMovesForward() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.clock.advanceBy(Duration.ofSeconds(-1)))
			.withMessageContaining("only moves forward");
	}

}
