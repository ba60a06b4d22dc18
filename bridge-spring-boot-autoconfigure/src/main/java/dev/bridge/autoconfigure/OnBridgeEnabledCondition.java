/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code bridge.enabled} is {@code false}, and stops startup when it is
 * neither {@code true} nor {@code false}: a typo must not switch Bridge off silently.
 */
class OnBridgeEnabledCondition extends SpringBootCondition {

	private static final String KEY = "bridge.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		boolean enabled;
		try {
			enabled = Binder.get(context.getEnvironment()).bind(KEY, Boolean.class).orElse(true);
		}
		catch (BindException ex) {
			throw new IllegalStateException(KEY + " must be true or false but was '"
					+ context.getEnvironment().getProperty(KEY) + "'; set it to false to turn Bridge off", ex);
		}
		return enabled ? ConditionOutcome.match(KEY + " is not false") : ConditionOutcome.noMatch(KEY + " is false");
	}

}
