/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static dev.bridge.test.BridgeAssertions.assertThatBridge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @AutoConfigureBridgeTest(deterministic = true)}: offloaded calls wait until the
 * test steps the {@link SteppedExecutor}, then run on the test's thread in the order they
 * were submitted, across pools.
 */
@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
@AutoConfigureBridgeTest(deterministic = true)
class DeterministicModeTests {

	@Autowired
	private AuditApplication.Audit audit;

	@Autowired
	private SteppedExecutor executor;

	@Test
	void fireAndForgetCallsRunWhenSteppedInTheOrderTheyWereMade() throws Exception {
		this.audit.record("a");
		this.audit.record("b");
		this.audit.record("c");
		CompletableFuture<Integer> count = this.audit.count().toFuture();
		this.audit.record("d");

		assertThat(this.audit.written()).isEmpty();
		assertThat(this.executor.pending()).isEqualTo(5);
		assertThat(this.executor.runNext()).isTrue();
		assertThat(this.audit.written()).containsExactly("a");
		assertThat(this.executor.runPending()).isEqualTo(4);

		assertThat(this.audit.written()).containsExactly("a", "b", "c", "d");
		assertThat(count).isCompletedWithValue(3);
		assertThatBridge().ran("Audit.record").onPool("audit").times(4);
		assertThat(BridgeTest.recorder().calls()).extracting(BridgeCall::thread)
			.containsOnly(Thread.currentThread().getName());
		BridgeTest.awaitQuiescence();
	}

}
