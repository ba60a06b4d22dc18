/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.concurrent.Future;

import reactor.core.scheduler.Schedulers;

/**
 * Thrown at once, instead of hanging, when a caller would wait for the loop on a thread
 * that must never wait: the loop thread itself, or another non-blocking thread such as a
 * Netty event loop. The message names the thread and says what to do instead.
 *
 * @since 0.1.0
 */
public class LoopDeadlockException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	LoopDeadlockException(String message) {
		super(message);
	}

	/**
	 * Refuses a blocking wait ({@code get}, {@code join}) on {@code future} when it is
	 * not done and the current thread is non-blocking (a Bridge loop or a Netty event
	 * loop): waiting would block that thread, and forever when the result is delivered on
	 * it, as Bridge delivers results awaited from its loop. Waiting for a future that is
	 * already done is allowed everywhere. Bridge's own futures (from
	 * {@link LoopRunner#submit}, the {@code Offloader} and annotated methods) call this
	 * before they wait.
	 * @param future the future about to be waited for
	 * @param operation the waiting method, such as {@code "join()"}
	 * @param result what the future is the result of, such as a task name
	 * @throws LoopDeadlockException when the wait must not happen here
	 * @since 0.1.0
	 */
	public static void refuseWaitOnNonBlockingThread(Future<?> future, String operation, String result) {
		if (!future.isDone() && Schedulers.isInNonBlockingThread()) {
			throw new LoopDeadlockException(operation + " on the future of " + result
					+ " was called on the non-blocking thread '" + Thread.currentThread().getName()
					+ "' before the future completed; waiting would block that thread, and forever if the result "
					+ "is delivered on it. Compose instead (thenApply/thenCompose/whenComplete, or Mono.fromFuture) "
					+ "and return the result, or move the waiting code to an offload pool (@OffloadBlocking)");
		}
	}

}
