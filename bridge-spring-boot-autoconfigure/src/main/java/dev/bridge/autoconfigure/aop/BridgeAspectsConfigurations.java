/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.util.List;

import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

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

	static List<ReturnTypeHandler> handlers(@Nullable ClassLoader classLoader) {
		return List.of(new ReactiveReturnTypeHandler(ClassUtils.isPresent(SPRING_SECURITY, classLoader)),
				new CompletionStageReturnTypeHandler(), new VoidReturnTypeHandler(), new PlainReturnTypeHandler());
	}

	@Configuration(proxyBeanMethods = false)
	static class ValidatorConfiguration {

		@Bean
		static MethodRouteValidator bridgeMethodRouteValidator(ObjectProvider<Offloader> offloader) {
			return new MethodRouteValidator(offloader);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = ASPECTJ)
	static class AspectsConfiguration implements BeanClassLoaderAware {

		private @Nullable ClassLoader classLoader;

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Bean
		@ConditionalOnBean(Offloader.class)
		OffloadBlockingAspect bridgeOffloadBlockingAspect(Offloader offloader, ContextCapture contextCapture) {
			return new OffloadBlockingAspect(offloader, contextCapture, handlers(this.classLoader));
		}

		@Bean
		@ConditionalOnBean(LoopRunner.class)
		RunOnLoopAspect bridgeRunOnLoopAspect(LoopRunner loop, ContextCapture contextCapture) {
			return new RunOnLoopAspect(loop, contextCapture, handlers(this.classLoader));
		}

	}

}
