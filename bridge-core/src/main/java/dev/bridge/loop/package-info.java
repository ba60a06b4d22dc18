/**
 * The loop runner: one managed event-loop thread that synchronous code submits work to
 * and waits on, with deadlock guard, graceful shutdown, lag probe and stall watchdog.
 */
@NullMarked
package dev.bridge.loop;

import org.jspecify.annotations.NullMarked;
