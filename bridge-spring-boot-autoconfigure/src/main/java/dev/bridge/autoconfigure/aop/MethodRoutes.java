/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodClassKey;
import org.springframework.util.StringValueResolver;

/**
 * The routes of annotated methods, resolved once per method and bean class by the one
 * rule of {@link RouteAnnotations} and cached: the advisors' pointcuts, the advice and
 * the startup validator all ask here, so they cannot disagree. Thread-safe.
 */
final class MethodRoutes {

	private final Map<MethodClassKey, Optional<MethodRoute>> routes = new ConcurrentHashMap<>();

	private final List<ReturnTypeHandler> handlers;

	private final StringValueResolver values;

	/**
	 * Creates the routes.
	 * @param handlers the return-type handlers, in order; the last one handles any type
	 * @param values resolves {@code ${...}} placeholders in annotation attributes
	 */
	MethodRoutes(List<ReturnTypeHandler> handlers, StringValueResolver values) {
		this.handlers = handlers;
		this.values = values;
	}

	/**
	 * Whether the annotation that applies to {@code method} sends it to {@code kind}:
	 * what the pointcuts match. Never fails; a method that matches but cannot be routed
	 * is refused by {@link #route}, at startup through the validator.
	 * @param method the method as the proxy sees it
	 * @param targetClass the bean's class
	 * @param kind the advisor's kind
	 * @return whether the advisor for {@code kind} applies
	 */
	boolean matches(Method method, Class<?> targetClass, MethodRoute.Kind kind) {
		RouteAnnotations.Found found = RouteAnnotations.find(method, targetClass);
		return found != null && (found.kind() == kind || found.conflicting());
	}

	/**
	 * The route of {@code method} called on a bean of {@code targetClass}.
	 * @param method the method as the proxy sees it
	 * @param targetClass the bean's class
	 * @return the route, or {@code null} when Bridge leaves the method alone
	 * @throws IllegalStateException when the method is annotated but cannot be routed
	 */
	@Nullable MethodRoute route(Method method, Class<?> targetClass) {
		MethodClassKey key = new MethodClassKey(method, targetClass);
		Optional<MethodRoute> route = this.routes.get(key);
		if (route == null) {
			route = Optional.ofNullable(MethodRoute.resolve(method, targetClass, this.handlers, this.values));
			this.routes.putIfAbsent(key, route);
		}
		return route.orElse(null);
	}

}
