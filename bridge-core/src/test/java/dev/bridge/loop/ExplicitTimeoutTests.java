/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.offload.OffloadTimeoutException;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The timeouts and budgets a caller passes to one call: one the timers cannot count is
 * refused with an error that says which and why, and the error of one that ran out names
 * that timeout, not a configured one that did not apply.
 */
@Timeout(30)
class ExplicitTimeoutTests {

	private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);

	private final LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofSeconds(10)).build();

	private final Offloader offloader = Offloader.builder().pinningDetection(false).build();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.release.countDown();
		this.runner.close();
		this.offloader.finishShutdown(Duration.ofSeconds(1));
	}

	@Test
	void runRefusesATimeoutBeyondNanosecondsSayingWhichAndWhy() {
		for (LoopRunner runner : new LoopRunner[] { this.runner, this.runner.named("Board.refresh") }) {
			assertThatIllegalArgumentException().isThrownBy(() -> runner.run(Mono.just(1), HUGE))
				.withMessageContaining("run(Mono, Duration)")
				.withMessageContaining("is too large: " + HUGE + " does not fit in 64-bit nanoseconds");
		}
		assertThat(this.runner.stats().inFlight()).isZero();
	}

	@Test
	void runRefusesAZeroOrNegativeTimeoutSayingWhichAndWhy() {
		for (Duration timeout : new Duration[] { Duration.ZERO, Duration.ofMillis(-1) }) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.runner.run(Mono.just(1), timeout))
				.withMessageContaining("run(Mono, Duration)")
				.withMessageContaining("must be positive but was " + timeout);
		}
	}

	@Test
	void runsTimeoutErrorNamesTheTimeoutPassedToRunNotTheCallTimeout() {
		for (LoopRunner runner : new LoopRunner[] { this.runner, this.runner.named("Board.refresh") }) {
			assertThatExceptionOfType(LoopTimeoutException.class)
				.isThrownBy(() -> runner.run(Mono.never(), Duration.ofMillis(50)))
				.withMessageContaining("timed out after 50 ms")
				.withMessageContaining("the timeout passed to run(Mono, Duration)")
				.withMessageNotContaining("bridge.loop.call-timeout");
		}
	}

	@Test
	void theCallTimeoutsErrorStillNamesTheCallTimeout() {
		LoopRunner runner = LoopRunner.builder().callTimeout(Duration.ofMillis(50)).build();
		try {
			assertThatExceptionOfType(LoopTimeoutException.class).isThrownBy(() -> runner.run(Mono.never()))
				.withMessageContaining("timed out after 50 ms")
				.withMessageContaining("bridge.loop.call-timeout");
		}
		finally {
			runner.close();
		}
	}

	@Test
	void theLoopsBudgetsRefuseADurationBeyondNanosecondsSayingWhichAndWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.runner.awaitQuiescence(HUGE))
			.withMessageContaining("awaitQuiescence")
			.withMessageContaining("is too large");
		assertThatIllegalArgumentException().isThrownBy(() -> this.runner.finishShutdown(HUGE))
			.withMessageContaining("finishShutdown")
			.withMessageContaining("is too large");
		assertThat(this.runner.call(() -> 1)).as("the runner still runs").isEqualTo(1);
	}

	@Test
	void theOffloadersDurationsRefuseOnesBeyondNanosecondsSayingWhichAndWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.timeout(HUGE))
			.withMessageContaining("is too large: " + HUGE);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Offloader.builder().defaultPool((pool) -> pool.timeout(HUGE)))
			.withMessageContaining("is too large: " + HUGE);
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.awaitQuiescence(HUGE))
			.withMessageContaining("awaitQuiescence")
			.withMessageContaining("is too large");
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.finishShutdown(HUGE))
			.withMessageContaining("finishShutdown")
			.withMessageContaining("is too large");
		assertThat(this.offloader.future(() -> 1).join()).as("the offloader still runs").isEqualTo(1);
	}

	@Test
	void aNegativeBudgetIsNoneForTheOffloaderAsForTheLoop() {
		assertThat(this.offloader.awaitQuiescence(Duration.ofMillis(-1))).isZero();
		ShutdownReport report = this.offloader.finishShutdown(Duration.ofMillis(-1));
		assertThat(report.cancelled()).isZero();
		assertThat(this.offloader.finishShutdown(Duration.ofSeconds(1))).isSameAs(report);
	}

	@Test
	void aPerCallOffloadTimeoutsErrorNamesThatTimeoutNotThePools() {
		CompletableFuture<Boolean> call = this.offloader.timeout(Duration.ofMillis(50))
			.future(() -> this.release.await(10, TimeUnit.SECONDS));
		assertThat(call).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(OffloadTimeoutException.class)
			.withMessageContaining("did not finish within 50 ms")
			.withMessageContaining("Offloader.timeout(Duration)")
			.withMessageNotContaining("bridge.offload.pools.default.timeout");
	}

	@Test
	void aPoolTimeoutsErrorStillNamesThePoolsProperty() {
		Offloader offloader = Offloader.builder()
			.pinningDetection(false)
			.pool("jdbc", (pool) -> pool.timeout(Duration.ofMillis(50)))
			.build();
		try {
			CompletableFuture<Boolean> call = offloader.pool("jdbc")
				.future(() -> this.release.await(10, TimeUnit.SECONDS));
			assertThat(call).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(OffloadTimeoutException.class)
				.withMessageContaining("did not finish within 50 ms")
				.withMessageContaining("bridge.offload.pools.jdbc.timeout")
				.withMessageNotContaining("Offloader.timeout(Duration)");
		}
		finally {
			offloader.finishShutdown(Duration.ofSeconds(1));
		}
	}

	@Test
	void aPositiveOffloadTimeoutUnderAMillisecondStillBoundsTheCall() {
		CompletableFuture<Boolean> call = this.offloader.timeout(Duration.ofNanos(500_000))
			.future(() -> this.release.await(10, TimeUnit.SECONDS));
		assertThat(call).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(OffloadTimeoutException.class)
			.withMessageContaining("did not finish within 1 ms");
	}

}
