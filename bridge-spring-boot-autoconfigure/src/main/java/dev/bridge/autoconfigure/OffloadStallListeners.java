/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import dev.bridge.offload.OffloadStallEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Delivers each offload stall and pinning to the application's
 * {@link OffloadStallEvent.Listener} beans, in order, looked up when it happens so that
 * listeners may themselves depend on the offloader. A listener that throws is logged and
 * does not keep the others from the event.
 */
final class OffloadStallListeners implements OffloadStallEvent.Listener {

	private static final Log logger = LogFactory.getLog(OffloadStallListeners.class);

	private final ObjectProvider<OffloadStallEvent.Listener> listeners;

	OffloadStallListeners(ObjectProvider<OffloadStallEvent.Listener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public void onStall(OffloadStallEvent event) {
		this.listeners.orderedStream().forEach((listener) -> {
			try {
				listener.onStall(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Offload stall listener " + listener + " failed on " + event.task(), ex);
			}
		});
	}

	@Override
	public void onPinned(OffloadStallEvent.Pinned event) {
		this.listeners.orderedStream().forEach((listener) -> {
			try {
				listener.onPinned(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Offload stall listener " + listener + " failed on a pinning of " + event.task(), ex);
			}
		});
	}

}
