/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.util.List;
import java.util.function.Supplier;

import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringValueResolver;
import org.springframework.util.function.SingletonSupplier;

/**
 * The configurations {@link BridgeAspectsAutoConfiguration} imports.
 */
final class BridgeAspectsConfigurations {

	/**
	 * The aspects' order: outside the usual proxies ({@code @Transactional},
	 * {@code @Cacheable}, method security), so those run on the thread the body runs on.
	 */
	static final int ASPECT_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

	private static final String ASPECTJ = "org.aspectj.weaver.Advice";

	private static final String SPRING_SECURITY = "org.springframework.security.core.context.ReactiveSecurityContextHolder";

	private BridgeAspectsConfigurations() {
	}

	static boolean aspectsPresent(@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(ASPECTJ, classLoader);
	}

	/**
	 * The return-type handlers, in the order they are asked: the futures and {@code void}
	 * first (the registry also adapts {@code CompletionStage}, but futures start at once
	 * and are flattened), then every reactive type the registry knows and Kotlin suspend
	 * functions, then any other type.
	 */
	static List<ReturnTypeHandler> handlers(@Nullable ClassLoader classLoader,
			Supplier<@Nullable AsyncUncaughtExceptionHandler> uncaughtHandler, ReactiveAdapterRegistry registry) {
		return List.of(new CompletionStageReturnTypeHandler(), new VoidReturnTypeHandler(uncaughtHandler),
				new ReactiveReturnTypeHandler(ClassUtils.isPresent(SPRING_SECURITY, classLoader), registry),
				new PlainReturnTypeHandler());
	}

	/**
	 * Resolves annotation attributes as {@code @Scheduled}'s are: placeholders and
	 * expressions through the bean factory; a placeholder it leaves (a context without a
	 * {@code PropertySourcesPlaceholderConfigurer}) through the environment, strictly, so
	 * an unresolvable one fails rather than becoming a pool name.
	 */
	private static StringValueResolver placeholders(ConfigurableBeanFactory beanFactory, Environment environment) {
		EmbeddedValueResolver embedded = new EmbeddedValueResolver(beanFactory);
		return (value) -> {
			String resolved = embedded.resolveStringValue(value);
			return (resolved != null && resolved.contains("${")) ? environment.resolveRequiredPlaceholders(resolved)
					: resolved;
		};
	}

	/**
	 * The application's handler of failed {@code @Async} methods: from its one
	 * {@link AsyncConfigurer} (which Boot wraps), looked up at the first failure.
	 */
	private static Supplier<@Nullable AsyncUncaughtExceptionHandler> uncaughtHandler(
			ObjectProvider<AsyncConfigurer> configurers) {
		return SingletonSupplier.ofNullable(() -> {
			AsyncConfigurer configurer = configurers.getIfUnique();
			return (configurer != null) ? configurer.getAsyncUncaughtExceptionHandler() : null;
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ValidatorConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static MethodRoutes bridgeMethodRoutes(ConfigurableBeanFactory beanFactory, Environment environment,
				ObjectProvider<AsyncConfigurer> asyncConfigurers) {
			// Spring's shared registry (what Spring's modules fall back to, and where
			// applications register their own types): this bean serves the auto-proxy
			// creator and a bean post-processor, so it must not create a registry bean
			// (WebFlux's) that early.
			return new MethodRoutes(handlers(beanFactory.getBeanClassLoader(), uncaughtHandler(asyncConfigurers),
					ReactiveAdapterRegistry.getSharedInstance()), placeholders(beanFactory, environment));
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static MethodRouteValidator bridgeMethodRouteValidator(ObjectProvider<Offloader> offloader,
				MethodRoutes bridgeMethodRoutes) {
			return new MethodRouteValidator(offloader, bridgeMethodRoutes);
		}

	}

	/**
	 * The advisors (created early, by the auto-proxy creator, so they depend on nothing
	 * heavy) and their advice (created at the first call).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = ASPECTJ)
	static class AspectsConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnBean(Offloader.class)
		static BridgeAdvisor bridgeOffloadBlockingAdvisor(MethodRoutes bridgeMethodRoutes,
				ObjectProvider<OffloadBlockingAspect> aspect) {
			return new BridgeAdvisor(MethodRoute.Kind.OFFLOAD, bridgeMethodRoutes, aspect::getObject);
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnBean(LoopRunner.class)
		static BridgeAdvisor bridgeRunOnLoopAdvisor(MethodRoutes bridgeMethodRoutes,
				ObjectProvider<RunOnLoopAspect> aspect) {
			return new BridgeAdvisor(MethodRoute.Kind.LOOP, bridgeMethodRoutes, aspect::getObject);
		}

		@Bean
		@ConditionalOnBean(Offloader.class)
		OffloadBlockingAspect bridgeOffloadBlockingAspect(Offloader offloader, ContextCapture contextCapture,
				MethodRoutes bridgeMethodRoutes) {
			return new OffloadBlockingAspect(offloader, contextCapture, bridgeMethodRoutes);
		}

		@Bean
		@ConditionalOnBean(LoopRunner.class)
		RunOnLoopAspect bridgeRunOnLoopAspect(LoopRunner loop, ContextCapture contextCapture,
				MethodRoutes bridgeMethodRoutes) {
			return new RunOnLoopAspect(loop, contextCapture, bridgeMethodRoutes);
		}

	}

}
