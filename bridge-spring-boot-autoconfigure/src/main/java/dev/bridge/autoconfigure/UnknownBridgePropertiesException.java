/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;

/**
 * Thrown at startup when keys under {@code bridge.} are not Bridge properties.
 * {@link UnknownBridgePropertiesFailureAnalyzer} turns it into Boot's startup report.
 */
final class UnknownBridgePropertiesException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final transient Map<String, @Nullable Origin> unknown;

	UnknownBridgePropertiesException(Map<String, @Nullable Origin> unknown) {
		super("Bridge does not know the properties " + unknown.keySet() + "; they would be ignored");
		this.unknown = Map.copyOf(unknown);
	}

	/**
	 * One line per unknown key: the key, where it came from, and the closest known key.
	 * @return the lines, each starting with a tab
	 */
	String describe() {
		return this.unknown.entrySet().stream().sorted(Map.Entry.comparingByKey()).map((entry) -> {
			String suggestion = UnknownPropertiesCheck.closestKnownKey(entry.getKey());
			Origin origin = entry.getValue();
			return "\t" + entry.getKey() + ((origin != null) ? " (from " + origin + ")" : "")
					+ ((suggestion != null) ? ": did you mean " + suggestion + "?" : "");
		}).collect(Collectors.joining("\n"));
	}

}
