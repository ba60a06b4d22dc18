/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;

/**
 * Any other return type: on the loop the caller waits for the body (bounded by the
 * timeout, guarded against deadlock, inline on the loop thread itself). Offloading is
 * refused, because the caller would wait for the blocking body anyway;
 * {@link MethodRoute} refuses such methods at startup.
 */
final class PlainReturnTypeHandler implements ReturnTypeHandler {

	@Override
	public boolean canHandle(Method method) {
		return true;
	}

	@Override
	public boolean canOffload() {
		return false;
	}

	@Override
	public @Nullable Object offload(BridgeInvocation invocation, Offloader offloader) {
		throw new IllegalStateException(MethodRoute.plainOffloadMessage(invocation.method(), invocation.name()));
	}

	@Override
	public @Nullable Object runOnLoop(BridgeInvocation invocation, LoopRunner loop) throws Throwable {
		return invocation.awaitOnLoop(loop);
	}

}
