/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

/**
 * Told about each stall of a loop. Called on the loop's watchdog thread, so
 * implementations should be quick; an exception thrown by one is logged and does not
 * affect others.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LoopStallListener {

	/**
	 * Called once per stall.
	 * @param event what stalled, for how long, and the loop thread's stack
	 */
	void onStall(LoopStallEvent event);

}
