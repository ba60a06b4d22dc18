/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Logs once, after the singletons are created, the methods that carry
 * {@code @OffloadBlocking} or {@code @RunOnLoop}, found by the same rule as the routing
 * ({@link RouteAnnotations}), while {@code bridge.enabled=false}: they run on their
 * callers' threads, so blocking code may now block an event loop.
 */
final class BridgeDisabledWarning implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(BridgeDisabledWarning.class);

	private final ConfigurableListableBeanFactory beanFactory;

	BridgeDisabledWarning(ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> methods = annotatedMethods();
		if (!methods.isEmpty()) {
			logger.warn("bridge.enabled is false, so these methods annotated with @OffloadBlocking or @RunOnLoop run "
					+ "on their callers' threads (blocking code among them may block an event loop): "
					+ String.join(", ", methods) + ". Remove bridge.enabled=false to route them again.");
		}
	}

	private Set<String> annotatedMethods() {
		Set<String> methods = new TreeSet<>();
		for (String name : this.beanFactory.getBeanDefinitionNames()) {
			Class<?> type = this.beanFactory.getType(name, false);
			if (type == null) {
				continue;
			}
			Class<?> userType = ClassUtils.getUserClass(type);
			MethodIntrospector
				.selectMethods(userType,
						(ReflectionUtils.MethodFilter) (method) -> method.getDeclaringClass() != Object.class
								&& RouteAnnotations.find(method, userType) != null)
				.forEach((method) -> methods.add(describe(userType, method)));
		}
		return methods;
	}

	private static String describe(Class<?> type, Method method) {
		return type.getSimpleName() + "." + method.getName();
	}

}
