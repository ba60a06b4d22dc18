/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;

/**
 * Adapts the invocation of an annotated method to one family of declared return types, in
 * both directions: one row of the table in the design's section 4. The aspects ask each
 * handler in order whether it {@linkplain #canHandle handles} a method's declared return
 * type (or, for a Kotlin {@code suspend} function, its kind) and use the first that does.
 * Implementations are stateless and thread-safe.
 */
interface ReturnTypeHandler {

	/**
	 * Whether this handler adapts {@code method}'s results.
	 * @param method the annotated method, as declared on the bean's class
	 * @return {@code true} when this handler applies
	 */
	boolean canHandle(Method method);

	/**
	 * Whether methods of this family may be {@code @OffloadBlocking}.
	 * @return {@code false} when offloading would still make the caller wait
	 */
	default boolean canOffload() {
		return true;
	}

	/**
	 * Runs an {@code @OffloadBlocking} method's body on {@code offloader}'s pool.
	 * @param invocation the intercepted call
	 * @param offloader the pool (and timeout) the method names
	 * @return what the caller receives
	 * @throws Throwable what the caller receives instead, unwrapped
	 */
	@Nullable Object offload(BridgeInvocation invocation, Offloader offloader) throws Throwable;

	/**
	 * Runs a {@code @RunOnLoop} method's body on {@code loop}.
	 * @param invocation the intercepted call
	 * @param loop the loop runner
	 * @return what the caller receives
	 * @throws Throwable what the caller receives instead, unwrapped
	 */
	@Nullable Object runOnLoop(BridgeInvocation invocation, LoopRunner loop) throws Throwable;

}
