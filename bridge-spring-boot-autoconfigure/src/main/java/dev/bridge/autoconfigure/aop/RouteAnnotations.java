/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Comparator;
import java.util.Optional;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.annotation.RepeatableContainers;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The one rule that decides which Bridge annotation applies to a method called on a bean,
 * used alike by the advisors' pointcuts, the route cache and the startup validator, so a
 * method is never advised and then not routed. It finds annotations where Spring finds
 * {@code @Async} and {@code @Transactional}:
 * <ol>
 * <li>the most specific method for the bean's class (the implementation of an interface
 * method, the bridged method of a generic one; for a bean that is itself a JDK proxy
 * without a target class, the interface method);
 * <li>on that method or a method it overrides or implements (superclasses, interfaces),
 * directly or through a composed annotation (a meta-annotation, with {@code @AliasFor}
 * overrides), the nearest declaration winning;
 * <li>otherwise, for public instance methods not declared by {@code Object}, on the
 * method's declaring class, its superclasses or its interfaces, the same way.
 * </ol>
 * A method annotation beats a class annotation.
 */
final class RouteAnnotations {

	private static final Comparator<MergedAnnotation<?>> NEAREST = Comparator
		.<MergedAnnotation<?>>comparingInt(MergedAnnotation::getAggregateIndex)
		.thenComparingInt(MergedAnnotation::getDistance);

	private RouteAnnotations() {
	}

	/**
	 * Finds the Bridge annotation that applies to {@code method} called on a bean of
	 * {@code targetClass}. Never fails: whether the method can be routed is for
	 * {@link MethodRoute#resolve} to decide.
	 * @param method the method as the proxy sees it
	 * @param targetClass the bean's class
	 * @return what was found, or {@code null} when Bridge leaves the method alone
	 */
	static @Nullable Found find(Method method, Class<?> targetClass) {
		Method specific = specificMethod(method, targetClass);
		Found found = onElement(specific, specific, true, targetClass);
		if (found == null && specific != method) {
			found = onElement(method, specific, true, targetClass);
		}
		if (found != null || !classLevelCandidate(specific)) {
			return found;
		}
		found = onElement(specific.getDeclaringClass(), specific, false, targetClass);
		if (found == null && method.getDeclaringClass() != specific.getDeclaringClass()) {
			found = onElement(method.getDeclaringClass(), specific, false, targetClass);
		}
		return found;
	}

	/**
	 * The method whose annotations apply when {@code method} is called on a bean of
	 * {@code targetClass}.
	 * @param method the method as the proxy sees it
	 * @param targetClass the bean's class
	 * @return the most specific method
	 */
	static Method specificMethod(Method method, Class<?> targetClass) {
		if (Proxy.isProxyClass(targetClass)) {
			// A proxy without a target (a repository-style ProxyFactory over an
			// interface): its own methods are generated; the interface declares.
			return BridgeMethodResolver.findBridgedMethod(method);
		}
		return AopUtils.getMostSpecificMethod(method, targetClass);
	}

	/**
	 * Whether a class annotation can apply to {@code method}: public instance methods
	 * that are not {@code Object}'s ({@code equals}, {@code hashCode}, {@code toString}).
	 */
	private static boolean classLevelCandidate(Method method) {
		int modifiers = method.getModifiers();
		return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers) && !method.isSynthetic()
				&& !method.isBridge() && !ReflectionUtils.isObjectMethod(method);
	}

	private static @Nullable Found onElement(AnnotatedElement element, Method specific, boolean onMethod,
			Class<?> targetClass) {
		MergedAnnotations annotations = MergedAnnotations.from(element, SearchStrategy.TYPE_HIERARCHY,
				RepeatableContainers.none());
		Optional<MergedAnnotation<OffloadBlocking>> offload = nearest(annotations, OffloadBlocking.class);
		Optional<MergedAnnotation<RunOnLoop>> loop = nearest(annotations, RunOnLoop.class);
		if (offload.isEmpty() && loop.isEmpty()) {
			return null;
		}
		String name = name(specific, targetClass);
		if (offload.isPresent() && loop.isPresent()) {
			int order = NEAREST.compare(offload.get(), loop.get());
			if (order == 0) {
				return new Found(MethodRoute.Kind.OFFLOAD, offload.get(), specific, onMethod, name, true);
			}
			return (order < 0) ? new Found(MethodRoute.Kind.OFFLOAD, offload.get(), specific, onMethod, name, false)
					: new Found(MethodRoute.Kind.LOOP, loop.get(), specific, onMethod, name, false);
		}
		return offload.isPresent() ? new Found(MethodRoute.Kind.OFFLOAD, offload.get(), specific, onMethod, name, false)
				: new Found(MethodRoute.Kind.LOOP, loop.orElseThrow(), specific, onMethod, name, false);
	}

	private static <A extends Annotation> Optional<MergedAnnotation<A>> nearest(MergedAnnotations annotations,
			Class<A> type) {
		return annotations.stream(type).min(NEAREST);
	}

	/**
	 * The name messages and task names use: {@code SimpleClassName.method}, the class
	 * being the bean's user class, or the declaring interface for a bean that is itself a
	 * JDK proxy.
	 */
	private static String name(Method specific, Class<?> targetClass) {
		Class<?> type = Proxy.isProxyClass(targetClass) ? specific.getDeclaringClass()
				: ClassUtils.getUserClass(targetClass);
		return type.getSimpleName() + "." + specific.getName();
	}

	/**
	 * The Bridge annotation that applies to a method.
	 *
	 * @param kind where the annotation sends the method
	 * @param annotation the annotation, merged with the attribute overrides of a composed
	 * annotation
	 * @param method the most specific method, whose signature and modifiers count
	 * @param onMethod whether it was found on the method (or a method it overrides)
	 * rather than on a class
	 * @param name {@code SimpleClassName.method}
	 * @param conflicting whether the other Bridge annotation is declared just as near
	 */
	record Found(MethodRoute.Kind kind, MergedAnnotation<?> annotation, Method method, boolean onMethod, String name,
			boolean conflicting) {

		/**
		 * Where a composed annotation brought the Bridge annotation from, for messages.
		 * @return {@code " (through @MyOffload)"}, or empty for a direct annotation
		 */
		String through() {
			return (this.annotation.getDistance() > 0)
					? " (through @" + this.annotation.getRoot().getType().getSimpleName() + ")" : "";
		}

	}

}
