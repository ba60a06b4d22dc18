/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;

/**
 * A point-in-time snapshot of one offload pool. Immutable; counters only grow.
 *
 * @param pool the pool name
 * @param virtualThreads whether the pool runs calls on virtual threads
 * @param limit the concurrency limit
 * @param active calls running now
 * @param queued calls waiting for a slot
 * @param queueCapacity the queue's capacity
 * @param rejected calls refused because the pool and its queue were full
 * @param completed calls that returned
 * @param completedTime total run time of completed calls
 * @param failed calls whose body threw
 * @param failedTime total run time of failed calls
 * @param cancelled calls cancelled by their caller, their timeout or shutdown
 * @param cancelledTime total run time of cancelled calls (zero for those never started)
 * @param queueWaits calls that left the queue to run
 * @param queueWaitTime total time those calls waited in the queue
 * @param held calls accepted while the pool is paused, waiting for it to resume (they
 * count neither as active nor as queued)
 * @param stalls calls that ran past the pool's stall threshold
 * @param oldestRunning how long the longest-running call still running has run, zero when
 * none runs
 * @param pinned pinnings of the pool's virtual threads the JDK reported (Java 21+)
 * @since 0.1.0
 */
public record OffloadStats(String pool, boolean virtualThreads, int limit, int active, int queued, int queueCapacity,
		long rejected, long completed, Duration completedTime, long failed, Duration failedTime, long cancelled,
		Duration cancelledTime, long queueWaits, Duration queueWaitTime, int held, long stalls, Duration oldestRunning,
		long pinned) {

}
