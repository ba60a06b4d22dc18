/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Neutralises line breaks in text Bridge logs that a user may control, such as the
 * message of an exception a body threw, so that it cannot forge log lines.
 * <p>
 * Bridge's own support class, public only so that its packages can share it; not an API
 * for applications.
 *
 * @since 0.1.0
 */
public final class LogSafe {

	private LogSafe() {
	}

	/**
	 * {@code text} with CR, LF and the other line separators shown escaped.
	 * @param text the text
	 * @return the text on one line
	 */
	public static String text(@Nullable Object text) {
		String value = String.valueOf(text);
		if (!hasLineBreak(value)) {
			return value;
		}
		StringBuilder escaped = new StringBuilder(value.length() + 8);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\r' -> escaped.append("\\r");
				case '\n' -> escaped.append("\\n");
				case '\u0085', '\u2028', '\u2029', '\u000b', '\f' -> escaped.append(String.format("\\u%04x", (int) c));
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	/**
	 * {@code failure} to log: itself when no message in it (causes and suppressed
	 * included) has a line break, otherwise a copy whose messages are on one line, each
	 * naming the original type, with the original stack traces.
	 * @param failure the failure
	 * @return what to hand to the logger
	 */
	public static Throwable throwable(Throwable failure) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		return needsCopy(failure, seen) ? new OneLine(failure, Collections.newSetFromMap(new IdentityHashMap<>()))
				: failure;
	}

	private static boolean needsCopy(Throwable failure, Set<Throwable> seen) {
		if (!seen.add(failure)) {
			return false;
		}
		if (failure.getMessage() != null && hasLineBreak(failure.getMessage())) {
			return true;
		}
		for (Throwable suppressed : failure.getSuppressed()) {
			if (needsCopy(suppressed, seen)) {
				return true;
			}
		}
		return failure.getCause() != null && needsCopy(failure.getCause(), seen);
	}

	private static boolean hasLineBreak(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\r' || c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\u000b'
					|| c == '\f') {
				return true;
			}
		}
		return false;
	}

	/**
	 * A logged copy of a failure with its messages on one line.
	 */
	static final class OneLine extends RuntimeException {

		private static final long serialVersionUID = 1L;

		OneLine(Throwable original, Set<Throwable> seen) {
			super(original.getClass().getName() + ": " + text(original.getMessage()), null, true, true);
			seen.add(original);
			setStackTrace(original.getStackTrace());
			Throwable cause = original.getCause();
			if (cause != null && !seen.contains(cause)) {
				initCause(new OneLine(cause, seen));
			}
			for (Throwable suppressed : original.getSuppressed()) {
				if (!seen.contains(suppressed)) {
					addSuppressed(new OneLine(suppressed, seen));
				}
			}
		}

	}

}
