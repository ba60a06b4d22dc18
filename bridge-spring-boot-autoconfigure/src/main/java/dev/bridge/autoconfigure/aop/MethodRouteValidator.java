/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.offload.Offloader;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Refuses, at startup, every bean with an {@code @OffloadBlocking} or {@code @RunOnLoop}
 * method that Bridge cannot route: an impossible return type, an unknown pool, a
 * malformed or unresolvable attribute, a timeout the component that applies it refuses
 * (one too large for its timers), a method no proxy can intercept, or a bean that is not
 * proxied at all (AspectJ missing, auto-proxying off). The failure names the bean, the
 * method and the fix, so an annotation never silently does nothing. It finds the
 * annotated methods with the same rule and cache as the advisors ({@link MethodRoutes}).
 * Thread-safe.
 */
final class MethodRouteValidator implements BeanPostProcessor, BeanClassLoaderAware {

	private static final Set<Class<? extends java.lang.annotation.Annotation>> ANNOTATIONS = Set
		.of(OffloadBlocking.class, RunOnLoop.class);

	private final ObjectProvider<Offloader> offloader;

	private final MethodRoutes routes;

	private final Set<Class<?>> validated = ConcurrentHashMap.newKeySet();

	private boolean aspectsActive;

	MethodRouteValidator(ObjectProvider<Offloader> offloader, MethodRoutes routes) {
		this.offloader = offloader;
		this.routes = routes;
		setBeanClassLoader(MethodRouteValidator.class.getClassLoader());
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.aspectsActive = BridgeAspectsConfigurations.aspectsPresent(classLoader);
	}

	/**
	 * Whether the bean's proxy has the Bridge advisor for {@code kind} matching
	 * {@code method}.
	 */
	private static boolean routedByBridge(Object bean, Method method, Class<?> type, MethodRoute.Kind kind) {
		if (!(bean instanceof Advised advised)) {
			return false;
		}
		for (Advisor advisor : advised.getAdvisors()) {
			if (advisor instanceof BridgeAdvisor bridgeAdvisor && bridgeAdvisor.kind() == kind
					&& bridgeAdvisor.getPointcut().getClassFilter().matches(type)
					&& bridgeAdvisor.getPointcut().getMethodMatcher().matches(method, type)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The methods a caller can reach on a bean of {@code type}: its own and inherited
	 * ones, or, for a bean that is itself a JDK proxy, its interfaces' methods.
	 */
	private static Method[] candidateMethods(Class<?> type) {
		if (!Proxy.isProxyClass(type)) {
			return ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS);
		}
		return ClassUtils.getAllInterfacesForClassAsSet(type)
			.stream()
			.flatMap((ifc) -> Arrays.stream(ifc.getMethods()))
			.filter(ReflectionUtils.USER_DECLARED_METHODS::matches)
			.toArray(Method[]::new);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = ClassUtils.getUserClass(AopProxyUtils.ultimateTargetClass(bean));
		if (!AnnotationUtils.isCandidateClass(type, ANNOTATIONS)) {
			return bean;
		}
		if (this.validated.contains(type) && AopUtils.isAopProxy(bean)) {
			return bean;
		}
		for (Method method : candidateMethods(type)) {
			MethodRoute resolved = this.routes.route(method, type);
			if (resolved == null) {
				continue;
			}
			if (!this.aspectsActive || !routedByBridge(bean, method, type, resolved.kind())) {
				throw new IllegalStateException("Bean '" + beanName + "' has Bridge-annotated method " + resolved.name()
						+ " but its proxy does not route it, so the annotation would do nothing: "
						+ (this.aspectsActive
								? "Spring AOP auto-proxying is off (spring.aop.auto=false), or "
										+ "the bean was created before auto-proxying was set up"
								: "AspectJ (org.aspectj:aspectjweaver) is not on the class path; "
										+ "depend on bridge-spring-boot-starter or spring-boot-starter-aspectj"));
			}
			if (resolved.kind() == MethodRoute.Kind.OFFLOAD) {
				Offloader available = this.offloader.getIfAvailable();
				if (available != null) {
					OffloadBlockingAspect.offloader(available, resolved);
				}
			}
		}
		this.validated.add(type);
		return bean;
	}

}
