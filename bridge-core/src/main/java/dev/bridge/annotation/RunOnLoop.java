/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method (or every method of a type) that must run on Bridge's managed event-loop
 * thread, typically because it drives reactive clients or touches loop-confined state.
 * <p>
 * Reactive return types ({@code Mono}/{@code Flux}) are subscribed on the loop,
 * {@code CompletableFuture}/{@code CompletionStage} bodies start on the loop at once, and
 * any other return type (including {@code void}) makes the caller wait, bounded by a
 * timeout and guarded against deadlock: on the loop thread itself the body runs inline,
 * and a wait from another non-blocking thread fails fast. An annotation on the method
 * wins over one on its type. With Spring, Bridge finds it where Spring finds
 * {@code @Async}: on interfaces and superclasses too, and as a meta-annotation of a
 * composed annotation.
 *
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RunOnLoop {

	/**
	 * Upper bound for a waiting caller, as a duration string such as {@code "2s"}, or
	 * (with Spring) a {@code ${...}} placeholder resolving to one. Empty means
	 * {@code bridge.loop.call-timeout}.
	 * @return the timeout, or an empty string for the loop's call timeout
	 */
	String timeout() default "";

}
