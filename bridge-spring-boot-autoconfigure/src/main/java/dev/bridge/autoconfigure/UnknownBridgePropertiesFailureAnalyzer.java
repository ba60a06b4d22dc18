/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports keys under {@code bridge.} that are not Bridge properties in Boot's startup
 * failure report: each key, where it came from, and the closest known key. Asked before
 * Boot's own analyzers, whose generic binding report would otherwise take the failure.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class UnknownBridgePropertiesFailureAnalyzer extends AbstractFailureAnalyzer<UnknownBridgePropertiesException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownBridgePropertiesException cause) {
		return new FailureAnalysis(
				"Bridge does not know these properties, so they would be silently ignored:\n\n" + cause.describe()
						+ "\n",
				"Correct or remove them. Every Bridge property is listed in the README's Configuration section "
						+ "(and known to your IDE through Bridge's configuration metadata).",
				cause);
	}

}
