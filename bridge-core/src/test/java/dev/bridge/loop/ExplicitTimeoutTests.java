/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;

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

	@AfterEach
	void close() {
		this.runner.close();
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

}
