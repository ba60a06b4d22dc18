/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;

/**
 * {@code CompletableFuture} and {@code CompletionStage}: the body starts on the pool or
 * the loop at once and the future it returns is flattened into the one the caller gets.
 * Cancelling the caller's future cancels the body (interrupting it when configured) and
 * the future the body returned; waiting on it from a non-blocking thread before it is
 * done fails fast, like waiting on the core's futures.
 */
final class CompletionStageReturnTypeHandler implements ReturnTypeHandler {

	@Override
	public boolean canHandle(Method method) {
		Class<?> returnType = method.getReturnType();
		return returnType == CompletableFuture.class || returnType == CompletionStage.class;
	}

	@Override
	public @Nullable Object offload(BridgeInvocation invocation, Offloader offloader) {
		return flatten(offloader.future(invocation.body()));
	}

	@Override
	public @Nullable Object runOnLoop(BridgeInvocation invocation, LoopRunner loop) {
		return flatten(invocation.startOnLoop(loop));
	}

	private static CompletableFuture<@Nullable Object> flatten(CompletableFuture<@Nullable Object> started) {
		// Of the started future's kind: deadlock-guarded when the core's future is.
		CompletableFuture<@Nullable Object> result = started.newIncompleteFuture();
		AtomicReference<@Nullable CompletionStage<?>> returned = new AtomicReference<>();
		started.whenComplete((stage, failure) -> {
			if (failure != null) {
				result.completeExceptionally(unwrap(failure));
			}
			else if (stage == null) {
				result.complete(null);
			}
			else {
				CompletionStage<?> inner = (CompletionStage<?>) stage;
				returned.set(inner);
				inner.whenComplete((value, error) -> {
					if (error != null) {
						result.completeExceptionally(unwrap(error));
					}
					else {
						result.complete(value);
					}
				});
				if (result.isCancelled()) {
					cancel(inner);
				}
			}
		});
		result.whenComplete((value, failure) -> {
			if (result.isCancelled()) {
				started.cancel(true);
				CompletionStage<?> inner = returned.get();
				if (inner != null) {
					cancel(inner);
				}
			}
		});
		return result;
	}

	private static void cancel(CompletionStage<?> stage) {
		if (stage instanceof Future<?> future) {
			future.cancel(true);
		}
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
