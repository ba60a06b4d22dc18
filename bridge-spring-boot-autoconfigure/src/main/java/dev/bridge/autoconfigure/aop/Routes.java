/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;

/**
 * An interceptor's cache of what it does with each intercepted method of each target
 * class, resolved on the first call. Thread-safe.
 *
 * @param <R> what the interceptor resolves per method
 */
final class Routes<R> {

	private final Map<MethodClassKey, Optional<R>> routes = new ConcurrentHashMap<>();

	private final BiFunction<Method, Class<?>, @Nullable R> resolver;

	/**
	 * Creates a cache.
	 * @param resolver resolves the method as the proxy sees it and the target class,
	 * returning {@code null} when the interceptor leaves the method alone
	 */
	Routes(BiFunction<Method, Class<?>, @Nullable R> resolver) {
		this.resolver = resolver;
	}

	@Nullable R get(MethodInvocation invocation) {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		MethodClassKey key = new MethodClassKey(method, targetClass);
		Optional<R> route = this.routes.get(key);
		if (route == null) {
			route = Optional.ofNullable(this.resolver.apply(method, targetClass));
			this.routes.putIfAbsent(key, route);
		}
		return route.orElse(null);
	}

}
