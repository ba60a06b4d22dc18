/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.bridge.loop.LoopRunner;
import org.jspecify.annotations.Nullable;

/**
 * What kind of thread runs the code, on any JDK from 17.
 */
final class Threads {

	private static final @Nullable MethodHandle IS_VIRTUAL = isVirtual();

	private Threads() {
	}

	private static @Nullable MethodHandle isVirtual() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	static BridgeCall.ThreadKind kind(Thread thread) {
		if (LoopRunner.current() != null && thread == Thread.currentThread()) {
			return BridgeCall.ThreadKind.LOOP;
		}
		MethodHandle handle = IS_VIRTUAL;
		if (handle != null) {
			try {
				if ((boolean) handle.invokeExact(thread)) {
					return BridgeCall.ThreadKind.VIRTUAL;
				}
			}
			catch (Throwable ex) {
				throw new IllegalStateException("Thread.isVirtual() failed", ex);
			}
		}
		return BridgeCall.ThreadKind.PLATFORM;
	}

	/** The top frames of a thread's stack, for failure messages. */
	static String top(Thread thread, int frames) {
		return Arrays.stream(thread.getStackTrace())
			.limit(frames)
			.map((frame) -> "\n        at " + frame)
			.collect(Collectors.joining());
	}

}
