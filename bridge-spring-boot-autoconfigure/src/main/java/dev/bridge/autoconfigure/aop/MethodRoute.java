/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import dev.bridge.loop.LoopRunner;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringValueResolver;

/**
 * What Bridge does with one method: where it runs, under which name, with which pool and
 * timeout, and which return-type handler adapts its result. Built by {@link #resolve}
 * from what {@link RouteAnnotations} finds, which also refuses every method Bridge cannot
 * route, with a message naming it.
 *
 * @param kind where the body runs
 * @param name the task name, {@code SimpleClassName.method}
 * @param pool the offload pool ({@code default} for {@link Kind#LOOP})
 * @param timeout the annotation's timeout, or {@code null} for the configured one
 * @param handler the handler for the declared return type
 * @param suspending whether the method is a Kotlin {@code suspend} function
 */
record MethodRoute(Kind kind, String name, String pool, @Nullable Timeout timeout, ReturnTypeHandler handler,
		boolean suspending) {

	/**
	 * Where an annotated method's body runs.
	 */
	enum Kind {

		OFFLOAD, LOOP

	}

	/**
	 * An annotation's timeout, with the attribute it was read from.
	 *
	 * @param value the duration
	 * @param attribute the attribute as the user wrote it, such as
	 * {@code @RunOnLoop(timeout = "2s")}, and what a placeholder resolved to
	 */
	record Timeout(Duration value, String attribute) {

		/**
		 * Hands the timeout to the Bridge component that will apply it, which checks it
		 * (Bridge's timers count in 64-bit nanoseconds, for one); a value it refuses
		 * fails naming the annotation and the method.
		 * @param <T> what the component returns
		 * @param component the core setter that takes the timeout
		 * @param role what the timeout is to that component, for the message
		 * @param method the annotated method's name
		 * @return what the component returned
		 */
		<T> T applyTo(Function<Duration, T> component, String role, String method) {
			try {
				return component.apply(this.value);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						this.attribute + " on " + method + " is refused as " + role + ": " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * Resolves what Bridge does with {@code method} when called on a bean of type
	 * {@code targetClass}.
	 * @param method the method as the proxy sees it
	 * @param targetClass the bean's class
	 * @param handlers the return-type handlers, in order; the last one handles any type
	 * @param values resolves {@code ${...}} placeholders in annotation attributes
	 * @return the routing, or {@code null} when Bridge leaves the method alone
	 * @throws IllegalStateException when the method is annotated but cannot be routed
	 */
	static @Nullable MethodRoute resolve(Method method, Class<?> targetClass, List<ReturnTypeHandler> handlers,
			StringValueResolver values) {
		RouteAnnotations.Found found = RouteAnnotations.find(method, targetClass);
		if (found == null) {
			return null;
		}
		String name = found.name();
		if (found.conflicting()) {
			throw new IllegalStateException(name + " is annotated with both @OffloadBlocking and @RunOnLoop (on "
					+ "the method or its class, directly or through composed annotations); a method runs either "
					+ "on an offload pool or on the loop, so keep one");
		}
		Method specific = found.method();
		if (found.onMethod()) {
			checkInterceptable(specific, name, found);
		}
		else {
			checkNotFinal(specific, name);
		}
		boolean suspending = SuspendingFunctions.isSuspending(specific);
		if (suspending && !SuspendingFunctions.supported()) {
			throw new IllegalStateException(name + " is a Kotlin suspend function, which Spring's proxies (and so "
					+ "Bridge) run only with kotlinx-coroutines-reactor on the class path; add "
					+ "org.jetbrains.kotlinx:kotlinx-coroutines-reactor, or make it a plain function returning Mono<T>");
		}
		ReturnTypeHandler handler = handlers.stream()
			.filter((candidate) -> candidate.canHandle(specific))
			.findFirst()
			.orElseThrow();
		String timeout = attribute(found, "timeout", name, values);
		if (found.kind() == Kind.OFFLOAD) {
			if (!handler.canOffload()) {
				throw new IllegalStateException(plainOffloadMessage(specific, name));
			}
			String pool = attribute(found, "pool", name, values);
			if (pool.isEmpty()) {
				throw new IllegalStateException(
						"@OffloadBlocking(pool = \"" + found.annotation().getString("pool") + "\")" + found.through()
								+ " on " + name + " names no pool; name a configured pool, or \"default\"");
			}
			return new MethodRoute(Kind.OFFLOAD, name, pool, parseTimeout(timeout, found, name, true), handler,
					suspending);
		}
		Timeout loopTimeout = parseTimeout(timeout, found, name, false);
		if (loopTimeout != null) {
			// It stands in for the loop's call timeout, so it obeys the same rule.
			loopTimeout.applyTo(LoopRunner.builder()::callTimeout, "the method's loop call timeout", name);
		}
		return new MethodRoute(Kind.LOOP, name, "default", loopTimeout, handler, suspending);
	}

	/**
	 * An annotation attribute with its {@code ${...}} placeholders resolved, as
	 * {@code @Scheduled} resolves its own.
	 */
	private static String attribute(RouteAnnotations.Found found, String attribute, String name,
			StringValueResolver values) {
		String declared = found.annotation().getString(attribute);
		if (declared.isEmpty()) {
			return declared;
		}
		String resolved;
		try {
			resolved = values.resolveStringValue(declared);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					describe(found, attribute, declared) + " on " + name + " cannot be resolved: " + ex.getMessage()
							+ ". Define the property, or give the placeholder " + "a default, as in \""
							+ ("pool".equals(attribute) ? "${app.pool:default}" : "${app.timeout:5s}") + "\"");
		}
		return (resolved != null) ? resolved.trim() : "";
	}

	private static String describe(RouteAnnotations.Found found, String attribute, String value) {
		return "@" + found.annotation().getType().getSimpleName() + "(" + attribute + " = \"" + value + "\")"
				+ found.through();
	}

	/**
	 * The return types {@code @OffloadBlocking} methods may declare, for messages.
	 */
	static final String ROUTABLE = "Mono, Flux, CompletableFuture, CompletionStage, void, Kotlin suspend functions "
			+ "(with kotlinx-coroutines-reactor), and every type Spring's ReactiveAdapterRegistry adapts "
			+ "(Publisher, Flow.Publisher, and when on the class path RxJava 3, Mutiny and Kotlin Flow)";

	static String plainOffloadMessage(Method method, String name) {
		String type = (method.getGenericReturnType() instanceof Class<?> plain)
				? ClassUtils.resolvePrimitiveIfNecessary(plain).getSimpleName()
				: method.getGenericReturnType().getTypeName();
		return "@OffloadBlocking method " + name + " returns " + type + ", so its caller would have to wait for the "
				+ "blocking body anyway; declare it to return Mono<" + type + "> or CompletableFuture<" + type
				+ "> (or void to fire and forget), or remove @OffloadBlocking. Bridge routes " + ROUTABLE;
	}

	private static void checkInterceptable(Method method, String name, RouteAnnotations.Found found) {
		int modifiers = method.getModifiers();
		if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers)) {
			throw new IllegalStateException(name + " is annotated with @" + found.annotation().getType().getSimpleName()
					+ found.through() + " but is " + (Modifier.isStatic(modifiers) ? "static" : "not public")
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

	private static @Nullable Timeout parseTimeout(String value, RouteAnnotations.Found found, String name,
			boolean zeroAllowed) {
		if (value.isEmpty()) {
			return null;
		}
		String annotation = describe(found, "timeout", value);
		String declared = found.annotation().getString("timeout");
		if (!declared.equals(value)) {
			annotation = describe(found, "timeout", declared) + ", resolved to \"" + value + "\",";
		}
		Duration timeout;
		try {
			timeout = DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(annotation + " on " + name + " is not a duration (" + ex.getMessage()
					+ "); use a value such as \"500ms\" or \"5s\"");
		}
		if (timeout.isNegative() || (!zeroAllowed && timeout.isZero())) {
			throw new IllegalStateException(annotation + " on " + name + " must be "
					+ (zeroAllowed ? "zero (no timeout) or positive" : "positive"));
		}
		return new Timeout(timeout, annotation);
	}

}
