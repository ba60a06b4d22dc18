/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

/**
 * Told about offloaded calls that run past their pool's stall threshold, and about
 * virtual threads of the pools that block while pinned to their carrier. Called on
 * Bridge's watchdog thread (stalls) or the JDK's event-stream thread (pinnings), so
 * implementations should be quick; an exception thrown by one is logged and does not
 * affect others.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface OffloadStallListener {

	/**
	 * Called once per call that runs past its pool's stall threshold, while it still
	 * runs.
	 * @param event the call, how long it has run, and its thread's stack
	 */
	void onStall(OffloadStallEvent event);

	/**
	 * Called for each pinning the JDK reports for one of the pools' virtual threads. Does
	 * nothing by default.
	 * @param event the call, how long it blocked while pinned, and where
	 */
	default void onPinned(OffloadPinnedEvent event) {
	}

}
