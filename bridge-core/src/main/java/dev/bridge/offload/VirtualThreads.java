/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import org.jspecify.annotations.Nullable;

/**
 * Finds the JDK's virtual threads at run time, so one jar compiled for Java 17 uses them
 * on Java 21+ and falls back to platform threads below.
 */
final class VirtualThreads {

	private static final @Nullable Method OF_VIRTUAL = find(Thread.class, "ofVirtual");

	static final boolean AVAILABLE = OF_VIRTUAL != null;

	private VirtualThreads() {
	}

	/**
	 * An executor that starts one virtual thread per task, named {@code <prefix><n>}.
	 */
	static ExecutorService newThreadPerTaskExecutor(String prefix) {
		ThreadFactory factory = newThreadFactory(prefix);
		try {
			return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
				.invoke(null, factory);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(
					"could not create a virtual-thread executor on Java " + System.getProperty("java.version"), ex);
		}
	}

	/**
	 * A factory of virtual threads named {@code <prefix><n>} that do not inherit the
	 * creating thread's {@code InheritableThreadLocal}s.
	 */
	static ThreadFactory newThreadFactory(String prefix) {
		if (OF_VIRTUAL == null) {
			throw new IllegalStateException("virtual threads need Java 21 or later, but this JVM is "
					+ System.getProperty("java.version") + "; set the pool's threads to platform or auto");
		}
		try {
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Object builder = OF_VIRTUAL.invoke(null);
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
			builder = builderType.getMethod("inheritInheritableThreadLocals", boolean.class).invoke(builder, false);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(
					"could not create a virtual-thread executor on Java " + System.getProperty("java.version"), ex);
		}
	}

	private static @Nullable Method find(Class<?> type, String name) {
		try {
			return type.getMethod(name);
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

}
