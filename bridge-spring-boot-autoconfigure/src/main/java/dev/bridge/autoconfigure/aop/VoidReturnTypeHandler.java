/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.util.concurrent.CompletableFuture;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@code void}: offloaded, the body is fired and forgotten on the pool (a failure is
 * logged and counted by the pool, and the call is drained or cancelled at shutdown like
 * any other; a call the pool refuses fails the caller at once); on the loop the caller
 * waits.
 */
final class VoidReturnTypeHandler implements ReturnTypeHandler {

	private static final Log logger = LogFactory.getLog(VoidReturnTypeHandler.class);

	@Override
	public boolean canHandleReturnType(Class<?> returnType) {
		return returnType == void.class || returnType == Void.class;
	}

	@Override
	public @Nullable Object offload(BridgeInvocation invocation, Offloader offloader) {
		CompletableFuture<@Nullable Object> call = invocation.named(() -> offloader.future(invocation.body()));
		call.whenComplete((ignored, failure) -> {
			if (failure != null) {
				logger.warn("@OffloadBlocking void method " + invocation.name() + " failed", failure);
			}
		});
		return null;
	}

	@Override
	public @Nullable Object runOnLoop(BridgeInvocation invocation, LoopRunner loop) throws Throwable {
		invocation.awaitOnLoop(loop);
		return null;
	}

}
