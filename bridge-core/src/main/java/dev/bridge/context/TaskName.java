/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.context;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Names the work submitted by the calling thread, so stall warnings, shutdown reports and
 * errors can say which method a task came from. Bridge's aspects name the work after the
 * annotated method; code calling the beans directly may do the same.
 * <p>
 * The name applies only to work submitted inside {@link #callAs(String, Supplier)} on the
 * same thread. Thread-safe.
 *
 * @since 0.1.0
 */
public final class TaskName {

	private static final ThreadLocal<@Nullable String> CURRENT = new ThreadLocal<>();

	private TaskName() {
	}

	/**
	 * Runs {@code submission} with {@code name} as the name of the work it submits.
	 * @param <T> the result type
	 * @param name the task name, such as {@code "OrderRepository.findById"}
	 * @param submission the code that submits work to a loop runner or offloader
	 * @return what {@code submission} returned
	 */
	public static <T> T callAs(String name, Supplier<T> submission) {
		String previous = CURRENT.get();
		CURRENT.set(name);
		try {
			return submission.get();
		}
		finally {
			if (previous == null) {
				CURRENT.remove();
			}
			else {
				CURRENT.set(previous);
			}
		}
	}

	/**
	 * The name in effect on this thread, or {@code fallback} outside {@link #callAs}.
	 * @param fallback the name to use when none is set
	 * @return the current task name
	 */
	public static String currentOr(String fallback) {
		String name = CURRENT.get();
		return (name != null) ? name : fallback;
	}

}
