/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.Supplier;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The advisor of one Bridge annotation: its pointcut matches exactly the methods
 * {@link MethodRoutes} routes to its {@link MethodRoute.Kind kind}, and its advice is the
 * interceptor for that kind, looked up at the first call so that creating the advisor
 * (which the auto-proxy creator does early) does not create the loop or the pools early.
 * Thread-safe.
 */
final class BridgeAdvisor extends AbstractPointcutAdvisor {

	private static final long serialVersionUID = 1L;

	private static final Set<Class<? extends java.lang.annotation.Annotation>> ANNOTATIONS = Set
		.of(OffloadBlocking.class, RunOnLoop.class);

	private final MethodRoute.Kind kind;

	private final transient Pointcut pointcut;

	private final transient Advice advice;

	BridgeAdvisor(MethodRoute.Kind kind, MethodRoutes routes, Supplier<? extends MethodInterceptor> interceptor) {
		this.kind = kind;
		this.pointcut = new RoutePointcut(kind, routes);
		Supplier<? extends MethodInterceptor> target = SingletonSupplier.of(interceptor);
		this.advice = (MethodInterceptor) (invocation) -> target.get().invoke(invocation);
		setOrder(BridgeAspectsConfigurations.ASPECT_ORDER);
	}

	/**
	 * Where this advisor sends the methods it matches.
	 * @return the kind
	 */
	MethodRoute.Kind kind() {
		return this.kind;
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.advice;
	}

	@Override
	public String toString() {
		return "BridgeAdvisor[" + this.kind + "]";
	}

	private static final class RoutePointcut extends StaticMethodMatcherPointcut {

		private final MethodRoute.Kind kind;

		private final MethodRoutes routes;

		RoutePointcut(MethodRoute.Kind kind, MethodRoutes routes) {
			this.kind = kind;
			this.routes = routes;
			setClassFilter(RoutePointcut::candidate);
		}

		private static boolean candidate(Class<?> type) {
			return AnnotationUtils.isCandidateClass(type, ANNOTATIONS);
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return this.routes.matches(method, targetClass, this.kind);
		}

	}

}
