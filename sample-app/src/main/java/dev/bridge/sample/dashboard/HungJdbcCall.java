/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;

import dev.bridge.annotation.OffloadBlocking;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Stands in for a JDBC call whose database stopped answering and whose driver has no
 * socket timeout: it holds a slot of the {@code jdbc} pool and sleeps. Past the pool's
 * {@code stall-threshold} the worker watchdog reports it (one warning with this method's
 * name and its stack), {@code bridge.offload.stalls} rises and the pool's
 * {@code oldestRunning} health detail climbs; the pool's {@code timeout} ends it.
 *
 * @since 0.1.0
 */
@Component
public class HungJdbcCall {

	/**
	 * Blocks a {@code jdbc} pool thread for {@code duration} when subscribed.
	 * @param duration how long the "query" hangs
	 * @return what happened
	 */
	@OffloadBlocking(pool = "jdbc")
	public Mono<HangResult> hang(Duration duration) {
		long start = System.nanoTime();
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return Mono.just(new HangResult(Thread.currentThread().getName(),
				Duration.ofNanos(System.nanoTime() - start).toMillis()));
	}

	/**
	 * The outcome of a hung call.
	 *
	 * @param thread the pool thread that was held
	 * @param heldMillis how long it was held
	 */
	public record HangResult(String thread, long heldMillis) {

	}

}
