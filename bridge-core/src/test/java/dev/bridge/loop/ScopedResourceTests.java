/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LoopRunner#open} and {@link LoopRunner#using}: resources opened on the
 * loop for the length of a block.
 */
@Timeout(30)
class ScopedResourceTests {

	private final LoopRunner loop = LoopRunner.create();

	private final List<String> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.loop.close();
	}

	private Mono<String> opening() {
		return Mono.fromCallable(() -> {
			this.events.add("open on " + Thread.currentThread().getName());
			return "session";
		});
	}

	private Mono<Void> closing(String resource, Throwable failure) {
		return Mono.fromRunnable(() -> this.events
			.add("close " + resource + " (" + failure + ") on " + Thread.currentThread().getName()));
	}

	@Test
	void theResourceIsOpenedAndClosedOnTheLoopWhenTheBlockEnds() {
		try (LoopRunner.Scoped<String> session = this.loop.open(opening(), this::closing)) {
			assertThat(session.resource()).isEqualTo("session");
			this.events.add("block");
		}
		assertThat(this.events).hasSize(3);
		assertThat(this.events.get(0)).startsWith("open on bridge-loop-");
		assertThat(this.events.get(1)).isEqualTo("block");
		assertThat(this.events.get(2)).startsWith("close session (null) on bridge-loop-");
	}

	@Test
	void closingTwiceClosesOnce() {
		LoopRunner.Scoped<String> session = this.loop.open(opening(), this::closing);
		session.close();
		session.close(new IllegalStateException("late"));
		assertThat(this.events).filteredOn((event) -> event.startsWith("close")).hasSize(1);
	}

	@Test
	void theCloserSeesWhatTheBlockThrewWhichReachesTheCaller() {
		IllegalStateException failure = new IllegalStateException("block failed");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.loop.using(opening(), (session) -> {
				throw failure;
			}, this::closing))
			.isSameAs(failure);
		assertThat(this.events).last()
			.asString()
			.startsWith("close session (java.lang.IllegalStateException: block failed) on bridge-loop-");
	}

	@Test
	void aFailingCloserIsSuppressedUnderTheBlocksFailureAndThrownOtherwise() {
		IllegalStateException failure = new IllegalStateException("block failed");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.loop.using(opening(), (session) -> {
				throw failure;
			}, (session, error) -> Mono.error(new IllegalArgumentException("close failed"))))
			.isSameAs(failure)
			.satisfies(
					(thrown) -> assertThat(thrown.getSuppressed()).singleElement().asString().contains("close failed"));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.loop.using(opening(), (session) -> session.length(),
					(session, error) -> Mono.error(new IllegalArgumentException("close failed"))))
			.withMessage("close failed");
		assertThat(this.loop.using(opening(), String::length, this::closing)).isEqualTo(7);
	}

	@Test
	void openingOnTheLoopItselfFailsFastInsteadOfDeadlocking() {
		assertThatExceptionOfType(LoopDeadlockException.class)
			.isThrownBy(() -> this.loop.call(() -> this.loop.open(opening(), this::closing)));
	}

	@Test
	void anEmptyOpenIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.loop.open(Mono.<String>empty(), this::closing))
			.withMessageContaining("completed empty");
	}

}
