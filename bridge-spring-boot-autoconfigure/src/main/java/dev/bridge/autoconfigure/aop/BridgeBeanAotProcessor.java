/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Registers, for ahead-of-time processing, the methods of a bean that Bridge routes
 * (found by {@link RouteAnnotations}, the rule the advisors use at run time), so that
 * their annotations can be read and the methods invoked reflectively in a native image.
 */
final class BridgeBeanAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanType = ClassUtils.getUserClass(registeredBean.getBeanClass());
		Set<Method> routed = routedMethods(beanType);
		if (routed.isEmpty()) {
			return null;
		}
		return (generationContext,
				code) -> routed.forEach((method) -> generationContext.getRuntimeHints()
					.reflection()
					.registerMethod(method, ExecutableMode.INVOKE));
	}

	static Set<Method> routedMethods(Class<?> beanType) {
		return MethodIntrospector.selectMethods(beanType,
				(ReflectionUtils.MethodFilter) (method) -> method.getDeclaringClass() != Object.class
						&& RouteAnnotations.find(method, beanType) != null);
	}

}
