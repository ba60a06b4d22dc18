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
 * The condition behind {@link ConditionalOnBridgeEnabled}.
 */
final class OnBridgeEnabledCondition extends SpringBootCondition {

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
		Object wanted = metadata.getAnnotationAttributes(ConditionalOnBridgeEnabled.class.getName()).get("value");
		return (enabled == Boolean.TRUE.equals(wanted)) ? ConditionOutcome.match(KEY + " is " + enabled)
				: ConditionOutcome.noMatch(KEY + " is " + enabled);
	}

}
