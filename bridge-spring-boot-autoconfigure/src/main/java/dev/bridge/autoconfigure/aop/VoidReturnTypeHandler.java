/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import dev.bridge.autoconfigure.LogSafe;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;

/**
 * {@code void}: offloaded, the body is fired and forgotten on the pool (the call is
 * drained or cancelled at shutdown like any other, and a call the pool refuses fails the
 * caller at once); on the loop the caller waits. A failure of a fired call goes to the
 * application's {@link AsyncUncaughtExceptionHandler} (from its {@code AsyncConfigurer}),
 * as a failing {@code @Async} method's does, or is logged when there is none; the pool
 * counts it either way.
 */
final class VoidReturnTypeHandler implements ReturnTypeHandler {

	private static final Log logger = LogFactory.getLog(VoidReturnTypeHandler.class);

	private final Supplier<@Nullable AsyncUncaughtExceptionHandler> uncaughtHandler;

	/**
	 * Creates the handler.
	 * @param uncaughtHandler the application's handler of failed fire-and-forget calls,
	 * asked at the first failure; {@code null} to log them
	 */
	VoidReturnTypeHandler(Supplier<@Nullable AsyncUncaughtExceptionHandler> uncaughtHandler) {
		this.uncaughtHandler = uncaughtHandler;
	}

	@Override
	public boolean canHandle(Method method) {
		Class<?> returnType = method.getReturnType();
		return returnType == void.class || returnType == Void.class;
	}

	@Override
	public @Nullable Object offload(BridgeInvocation invocation, Offloader offloader) {
		CompletableFuture<@Nullable Object> call = offloader.future(invocation.body());
		call.whenComplete((ignored, failure) -> {
			if (failure != null) {
				failed(invocation, (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure);
			}
		});
		return null;
	}

	private void failed(BridgeInvocation invocation, Throwable failure) {
		AsyncUncaughtExceptionHandler handler = (failure instanceof CancellationException) ? null
				: this.uncaughtHandler.get();
		if (handler == null) {
			// The message may carry user input: on one line, so it cannot forge others.
			logger.warn("@OffloadBlocking void method " + invocation.name() + " failed: " + LogSafe.text(failure)
					+ "; nothing waits for it, so handle its failures in the method, return a CompletableFuture "
					+ "or register an AsyncUncaughtExceptionHandler", LogSafe.throwable(failure));
			return;
		}
		try {
			handler.handleUncaughtException(failure, invocation.method(), invocation.arguments());
		}
		catch (Throwable ex) {
			logger.warn(
					"@OffloadBlocking void method " + invocation.name() + " failed, and the application's "
							+ "AsyncUncaughtExceptionHandler threw " + LogSafe.text(ex) + " handling it",
					LogSafe.throwable(failure));
		}
	}

	@Override
	public @Nullable Object runOnLoop(BridgeInvocation invocation, LoopRunner loop) throws Throwable {
		invocation.awaitOnLoop(loop);
		return null;
	}

}
