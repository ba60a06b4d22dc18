/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;

/**
 * What Bridge does with one method: where it runs, under which name, with which pool and
 * timeout, and which return-type handler adapts its result. Built by {@link #resolve},
 * which also refuses every method Bridge cannot route, with a message naming it.
 * <p>
 * The rules mirror the aspects' pointcuts: an annotation on the method applies to it; an
 * annotation on the class that declares the method applies to its public instance
 * methods; the method's own annotation wins over the class's.
 *
 * @param kind where the body runs
 * @param name the task name, {@code SimpleClassName.method}
 * @param pool the offload pool ({@code default} for {@link Kind#LOOP})
 * @param timeout the annotation's timeout, or {@code null} for the configured one
 * @param handler the handler for the declared return type
 */
record MethodRoute(Kind kind, String name, String pool, @Nullable Duration timeout, ReturnTypeHandler handler) {

	/**
	 * Where an annotated method's body runs.
	 */
	enum Kind {

		OFFLOAD, LOOP

	}

	/**
	 * Resolves what Bridge does with {@code method} when called on a bean of type
	 * {@code targetClass}.
	 * @param method the method
	 * @param targetClass the bean's user class
	 * @param handlers the return-type handlers, in order; the last one handles any type
	 * @return the routing, or {@code null} when Bridge leaves the method alone
	 * @throws IllegalStateException when the method is annotated but cannot be routed
	 */
	static @Nullable MethodRoute resolve(Method method, Class<?> targetClass, List<ReturnTypeHandler> handlers) {
		OffloadBlocking offload = method.getAnnotation(OffloadBlocking.class);
		RunOnLoop loop = method.getAnnotation(RunOnLoop.class);
		String name = ClassUtils.getUserClass(targetClass).getSimpleName() + "." + method.getName();
		if (offload != null || loop != null) {
			checkInterceptable(method, name);
		}
		else if (isInterceptable(method) && method.getDeclaringClass() != Object.class) {
			offload = method.getDeclaringClass().getAnnotation(OffloadBlocking.class);
			loop = method.getDeclaringClass().getAnnotation(RunOnLoop.class);
			if (offload != null || loop != null) {
				checkNotFinal(method, name);
			}
		}
		if (offload != null && loop != null) {
			throw new IllegalStateException(name + " is annotated with both @OffloadBlocking and @RunOnLoop (on "
					+ "the method or its class); a method runs either on an offload pool or on the loop, so keep one");
		}
		if (offload == null && loop == null) {
			return null;
		}
		Class<?> returnType = method.getReturnType();
		ReturnTypeHandler handler = handlers.stream()
			.filter((candidate) -> candidate.canHandleReturnType(returnType))
			.findFirst()
			.orElseThrow();
		if (offload != null) {
			if (!handler.canOffload()) {
				throw new IllegalStateException(plainOffloadMessage(method, name));
			}
			return new MethodRoute(Kind.OFFLOAD, name, offload.pool(),
					parseTimeout(offload.timeout(), "@OffloadBlocking", name, true), handler);
		}
		return new MethodRoute(Kind.LOOP, name, "default", parseTimeout(loop.timeout(), "@RunOnLoop", name, false),
				handler);
	}

	static String plainOffloadMessage(Method method, String name) {
		String type = (method.getGenericReturnType() instanceof Class<?> plain)
				? ClassUtils.resolvePrimitiveIfNecessary(plain).getSimpleName()
				: method.getGenericReturnType().getTypeName();
		return "@OffloadBlocking method " + name + " returns " + type + ", so its caller would have to wait for the "
				+ "blocking body anyway; declare it to return Mono<" + type + "> or CompletableFuture<" + type
				+ "> (or void to fire and forget), or remove @OffloadBlocking";
	}

	private static boolean isInterceptable(Method method) {
		int modifiers = method.getModifiers();
		return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers) && !method.isSynthetic()
				&& !method.isBridge();
	}

	private static void checkInterceptable(Method method, String name) {
		int modifiers = method.getModifiers();
		if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers)) {
			throw new IllegalStateException(name + " is annotated for Bridge but is "
					+ (Modifier.isStatic(modifiers) ? "static" : "not public")
					+ ", so no Spring proxy can route it; make it a public instance method and call it through the bean");
		}
		checkNotFinal(method, name);
	}

	private static void checkNotFinal(Method method, String name) {
		if (Modifier.isFinal(method.getModifiers())) {
			throw new IllegalStateException(name + " is routed by Bridge but is final, so a class-based Spring proxy "
					+ "cannot intercept it and it would run on the caller's thread; remove 'final'");
		}
	}

	private static @Nullable Duration parseTimeout(String value, String annotation, String name, boolean zeroAllowed) {
		if (value.isEmpty()) {
			return null;
		}
		Duration timeout;
		try {
			timeout = DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(annotation + "(timeout = \"" + value + "\") on " + name
					+ " is not a duration (" + ex.getMessage() + "); use a value such as \"500ms\" or \"5s\"");
		}
		if (timeout.isNegative() || (!zeroAllowed && timeout.isZero())) {
			throw new IllegalStateException(annotation + "(timeout = \"" + value + "\") on " + name + " must be "
					+ (zeroAllowed ? "zero (no timeout) or positive" : "positive"));
		}
		try {
			timeout.toNanos();
		}
		catch (ArithmeticException ex) {
			throw new IllegalStateException(annotation + "(timeout = \"" + value + "\") on " + name
					+ " is too large: it does not fit in 64-bit nanoseconds (about 292 years)");
		}
		return timeout;
	}

}
