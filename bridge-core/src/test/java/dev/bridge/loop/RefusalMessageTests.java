/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import dev.bridge.lifecycle.ShuttingDownException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a caller reads when a closed loop refuses work: the operation, and the task's name
 * when it has one, never the operation twice.
 */
class RefusalMessageTests {

	@Test
	void refusedWorkWithoutATaskNameNamesTheOperationOnce() {
		LoopRunner runner = LoopRunner.create();
		String name = runner.stats().name();
		runner.close();
		assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(() -> runner.run(Mono.just(1)))
			.withMessageStartingWith("bridge is shutting down: " + name + " refused run(Mono); ");
		assertThatExceptionOfType(ShuttingDownException.class).isThrownBy(() -> runner.call(() -> 1))
			.withMessageStartingWith("bridge is shutting down: " + name + " refused call(Callable); ");
	}

	@Test
	void refusedWorkWithATaskNameNamesIt() {
		LoopRunner runner = LoopRunner.create();
		String name = runner.stats().name();
		runner.close();
		assertThatExceptionOfType(ShuttingDownException.class)
			.isThrownBy(() -> runner.named("PriceClient.current").run(Mono.just(1)))
			.withMessageStartingWith(
					"bridge is shutting down: " + name + " refused run(Mono) of PriceClient.current; ");
	}

}
