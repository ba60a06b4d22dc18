/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.loop.LoopTimeoutException;
import dev.bridge.offload.OffloadTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @AutoConfigureBridgeTest(virtualTime = true)}: the annotation timeouts of the
 * application's methods fire when the test advances the {@link VirtualClock} bean.
 */
@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
@AutoConfigureBridgeTest(virtualTime = true)
class VirtualTimeSpringTests {

	@Autowired
	private AuditApplication.Audit audit;

	@Autowired
	private AuditApplication.Board board;

	@Autowired
	private VirtualClock clock;

	@Test
	void anOffloadBlockingTimeoutOf30SecondsFiresWhenTheClockIsAdvanced() throws Exception {
		CountDownLatch gate = this.audit.holdWrites();
		try {
			CompletableFuture<String> export = this.audit.export();

			this.clock.advanceBy(Duration.ofSeconds(30));

			assertThat(export).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(OffloadTimeoutException.class)
				.withMessageContaining("Audit.export on offload pool 'audit' did not finish within 30000 ms");
		}
		finally {
			gate.countDown();
		}
	}

	@Test
	void aRunOnLoopTimeoutOfOneMinuteFiresWhenTheClockIsAdvanced() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		try {
			CompletableFuture<Boolean> held = CompletableFuture.supplyAsync(() -> {
				try {
					return this.board.hold(started, release);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

			this.clock.advanceBy(Duration.ofMinutes(1));

			assertThat(held).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(LoopTimeoutException.class)
				.withMessageContaining("Board.hold timed out after 60000 ms");
		}
		finally {
			release.countDown();
		}
	}

}
