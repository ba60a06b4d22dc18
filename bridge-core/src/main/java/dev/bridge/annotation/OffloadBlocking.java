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
 * Marks a method (or every method of a type) whose body blocks, so that Bridge runs it on
 * a bounded, context-propagating offload pool instead of the caller's thread.
 * <p>
 * The declared return type decides how the caller sees the result:
 * {@code Mono}/{@code Flux} run the body at subscribe time on the pool,
 * {@code CompletableFuture}/{@code CompletionStage} start it at once, {@code void} fires
 * and forgets (tracked for the shutdown drain). Any other return type is refused at
 * startup, because the caller would have to wait for a blocking body anyway. An
 * annotation on the method wins over one on its type. With Spring, Bridge finds it where
 * Spring finds {@code @Async}: on interfaces and superclasses too, and as a
 * meta-annotation of a composed annotation.
 *
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OffloadBlocking {

	/**
	 * Name of the offload pool (a bulkhead, configured under
	 * {@code bridge.offload.pools}) the body runs on.
	 * @return the pool name, {@code "default"} unless set
	 */
	String pool() default "default";

	/**
	 * Upper bound for one call, queue wait included, as a duration string such as
	 * {@code "500ms"} or {@code "5s"}, or (with Spring) a {@code ${...}} placeholder
	 * resolving to one. Empty means the pool's {@code timeout}.
	 * @return the timeout, or an empty string for the pool's own
	 */
	String timeout() default "";

}
