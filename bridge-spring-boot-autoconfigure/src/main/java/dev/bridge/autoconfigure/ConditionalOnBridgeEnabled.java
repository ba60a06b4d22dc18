/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code bridge.enabled} has the given value ({@code true} when it is not
 * set), and stops startup, naming the key, when it is neither {@code true} nor
 * {@code false}: a typo must not switch Bridge off silently. The one way Bridge's
 * auto-configurations read the switch.
 *
 * @since 0.1.0
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnBridgeEnabledCondition.class)
public @interface ConditionalOnBridgeEnabled {

	/**
	 * The value of {@code bridge.enabled} that matches.
	 * @return {@code true} (the default) for Bridge on, {@code false} for Bridge off
	 */
	boolean value() default true;

}
