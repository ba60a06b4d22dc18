/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import dev.bridge.context.ContextCapture;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.TransientSecurityContext;

/**
 * Gives every Bridge hop its own Spring Security {@link SecurityContext}: a body that
 * replaces its authentication ({@code getContext().setAuthentication(..)}, the "run as"
 * idiom) changes its own copy, not the caller's instance, a sibling call's or the one
 * stored in the user's session. Used only when Spring Security is on the class path.
 */
final class SecurityContextCopy {

	/** The key of Spring Security's {@code SecurityContextHolderThreadLocalAccessor}. */
	static final String KEY = SecurityContext.class.getName();

	private SecurityContextCopy() {
	}

	static ContextCapture apply(ContextCapture capture) {
		return capture.copying(KEY, SecurityContextCopy::copy);
	}

	private static Object copy(Object value) {
		SecurityContext original = (SecurityContext) value;
		SecurityContext copy = (original instanceof TransientSecurityContext) ? new TransientSecurityContext()
				: SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
		copy.setAuthentication(original.getAuthentication());
		return copy;
	}

}
