/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.bridge.test.BridgeAssertions.assertThatBridge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AutoConfigureBridgeTest @AutoConfigureBridgeTest} in a {@code @SpringBootTest}:
 * static and injected quiescence, routing assertions, and calls cleared between tests.
 */
@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
@AutoConfigureBridgeTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureBridgeTestTests {

	@Autowired
	private AuditApplication.Audit audit;

	@Autowired
	private AuditApplication.Board board;

	@Autowired
	private BridgeRecorder recorder;

	@Autowired
	private Offloader offloader;

	@Autowired
	private LoopRunner loop;

	@Autowired
	@Qualifier("bridgeTaskExecutor")
	private Executor bridgeTaskExecutor;

	@Test
	@Order(1)
	void aFireAndForgetCallIsAwaitedAndAssertedWhereItRan() throws Exception {
		CountDownLatch gate = this.audit.holdWrites();
		this.audit.record("order-1 paid");

		assertThatExceptionOfType(QuiescenceTimeoutError.class)
			.isThrownBy(() -> BridgeTest.awaitQuiescence(Duration.ofMillis(50)))
			.withMessageContaining("Audit.record on offload pool 'audit'");
		gate.countDown();
		BridgeTest.awaitQuiescence();

		assertThat(this.audit.written()).containsExactly("order-1 paid");
		assertThatBridge().ran("Audit.record").onPool("audit").offTheCallingThread().times(1);
	}

	@Test
	@Order(2)
	void eachTestSeesOnlyItsOwnCalls() {
		assertThatBridge().didNotRun("Audit.record");
	}

	@Test
	@Order(3)
	void everyWayIntoBridgeIsRecorded() throws Exception {
		assertThat(this.board.publish()).isPositive();
		assertThat(this.audit.count().block(Duration.ofSeconds(5))).isNotNull();
		this.bridgeTaskExecutor.execute(() -> {
		});
		this.recorder.awaitQuiescence();

		assertThatBridge().ran("Board.publish").onLoop();
		assertThatBridge().ran("Audit.count").onPool("default");
		assertThatBridge().ran("bridgeTaskExecutor").onPool("default");
	}

	@Test
	@Order(4)
	void theInjectedRecorderIsTheStaticOneAndRecordsTheBeans() {
		assertThat(BridgeTest.recorder()).isSameAs(this.recorder);
		assertThat(this.offloader).isInstanceOf(RecordingOffloader.class);
		assertThat(this.loop).isInstanceOf(RecordingLoopRunner.class);
	}

}
