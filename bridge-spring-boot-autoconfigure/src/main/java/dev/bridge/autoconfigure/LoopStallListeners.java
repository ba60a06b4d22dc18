/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import dev.bridge.loop.LoopStallEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Delivers each stall to the application's {@link LoopStallEvent.Listener} beans, in
 * order, looked up when the stall happens so that listeners may themselves depend on the
 * loop runner. A listener that throws is logged and does not keep the others from the
 * event.
 */
final class LoopStallListeners implements LoopStallEvent.Listener {

	private static final Log logger = LogFactory.getLog(LoopStallListeners.class);

	private final ObjectProvider<LoopStallEvent.Listener> listeners;

	LoopStallListeners(ObjectProvider<LoopStallEvent.Listener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public void onStall(LoopStallEvent event) {
		this.listeners.orderedStream().forEach((listener) -> {
			try {
				listener.onStall(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Loop stall listener " + listener + " failed", ex);
			}
		});
	}

}
