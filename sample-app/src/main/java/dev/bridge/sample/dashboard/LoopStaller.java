/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;

import dev.bridge.annotation.RunOnLoop;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Deliberately does what must never be done: blocks the loop thread. The stall watchdog
 * reports it (one warning with the loop's stack, naming this method), the stall count
 * rises, the loop lag climbs past {@code bridge.health.lag-down-threshold} and
 * {@code bridge} health turns {@code DOWN}, then back {@code UP} once the loop is free
 * again.
 *
 * @since 0.1.0
 */
@Component
public class LoopStaller {

	/**
	 * Blocks the loop for {@code duration} when subscribed: the body runs on the loop
	 * ({@link RunOnLoop}), and sleeps there.
	 * @param duration how long to block the loop
	 * @return what happened
	 */
	@RunOnLoop
	public Mono<StallResult> stallLoop(Duration duration) {
		long start = System.nanoTime();
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return Mono.just(new StallResult(Thread.currentThread().getName(),
				Duration.ofNanos(System.nanoTime() - start).toMillis()));
	}

	/**
	 * The outcome of a deliberate stall.
	 *
	 * @param thread the thread that was blocked (the loop)
	 * @param blockedMillis how long it was blocked
	 */
	public record StallResult(String thread, long blockedMillis) {

	}

}
