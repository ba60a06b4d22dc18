/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.bridge.autoconfigure.metrics.BridgeCallTimers;
import dev.bridge.autoconfigure.metrics.BridgeLoopTimers;
import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStallEvent;
import dev.bridge.offload.OffloadStallEvent;
import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.PoolSpec;
import dev.bridge.offload.Offloader.ThreadMode;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The configurations {@link BridgeAutoConfiguration} imports, one per bean a user may
 * replace.
 */
final class BridgeConfigurations {

	private BridgeConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	static class ContextCaptureConfiguration implements BeanClassLoaderAware {

		private static final String SPRING_SECURITY = "org.springframework.security.core.context.SecurityContextHolder";

		private @Nullable ClassLoader classLoader;

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Bean
		@ConditionalOnMissingBean
		ContextCapture bridgeContextCapture(BridgeProperties properties) {
			BridgeProperties.Context context = properties.getContext();
			if (!context.isPropagation()) {
				return ContextCapture.none();
			}
			ContextCapture capture = ContextCapture.of(context.isMdc());
			// Each hop gets its own SecurityContext: see SecurityContextCopy.
			return ClassUtils.isPresent(SPRING_SECURITY, this.classLoader) ? SecurityContextCopy.apply(capture)
					: capture;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LoopRunnerConfiguration {

		/**
		 * Real timers for the loop runner built here (a user's own loop runner keeps
		 * function timers over its statistics).
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
		@ConditionalOnMissingBean(LoopRunner.class)
		static class LoopTimersConfiguration {

			@Bean
			@ConditionalOnMissingBean
			BridgeLoopTimers bridgeLoopTimers() {
				return new BridgeLoopTimers();
			}

		}

		@Bean
		@ConditionalOnMissingBean
		LoopRunner bridgeLoopRunner(BridgeProperties properties, ContextCapture contextCapture,
				ObjectProvider<LoopStallEvent.Listener> stallListeners,
				ObjectProvider<LoopRunnerCustomizer> customizers,
				ObjectProvider<LoopRunner.TaskObserver> taskObservers) {
			BridgeProperties.Loop loop = properties.getLoop();
			LoopRunner.Builder builder = LoopRunner.builder()
				.threadName(loop.getThreadName())
				.callTimeout(loop.getCallTimeout())
				.stallThreshold(loop.getStallThreshold())
				.lagProbeInterval(loop.getLagProbeInterval())
				.shutdownTimeout(properties.getShutdown().getTimeout())
				.contextCapture(contextCapture)
				.stallListener(new LoopStallListeners(stallListeners));
			List<LoopRunner.TaskObserver> observers = taskObservers.orderedStream().toList();
			if (!observers.isEmpty()) {
				builder.taskObserver(
						(observers.size() == 1) ? observers.get(0) : CompositeObservers.ofLoopTasks(observers));
			}
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(Offloader.class)
	static class OffloaderConfiguration {

		@Bean
		OffloadExecutors bridgeOffloadExecutors() {
			return new OffloadExecutors();
		}

		@Bean
		Offloader bridgeOffloader(BridgeProperties properties, ContextCapture contextCapture,
				OffloadExecutors executors, Environment environment, ObjectProvider<OffloaderCustomizer> customizers,
				ObjectProvider<OffloadStallEvent.Listener> stallListeners,
				ObjectProvider<Offloader.CallObserver> callObservers) {
			BridgeProperties.Offload offload = properties.getOffload();
			boolean virtualThreadsOff = Boolean.FALSE
				.equals(environment.getProperty("spring.threads.virtual.enabled", Boolean.class));
			Offloader.Builder builder = Offloader.builder()
				.contextCapture(contextCapture)
				.interruptOnCancel(offload.isInterruptOnCancel())
				.pinningDetection(offload.isPinningDetection())
				.stallListener(new OffloadStallListeners(stallListeners));
			Duration shutdownTimeout = properties.getShutdown().getTimeout();
			apply("bridge.shutdown.timeout", () -> builder.shutdownTimeout(shutdownTimeout));
			List<Offloader.CallObserver> observers = callObservers.orderedStream().toList();
			if (!observers.isEmpty()) {
				builder.callObserver(
						(observers.size() == 1) ? observers.get(0) : CompositeObservers.ofOffloadCalls(observers));
			}
			builder.defaultPool((spec) -> configure(spec, "default", offload, offload.getPools().get("default"),
					executors, virtualThreadsOff));
			offload.getPools()
				.forEach((name, pool) -> builder.pool(name,
						(spec) -> configure(spec, name, offload, pool, executors, virtualThreadsOff)));
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder.build();
		}

		/**
		 * Real timers for the offloader built here (a user's own offloader keeps function
		 * timers over its statistics).
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
		static class CallTimersConfiguration {

			@Bean
			@ConditionalOnMissingBean
			BridgeCallTimers bridgeCallTimers() {
				return new BridgeCallTimers();
			}

		}

		/**
		 * Configures one pool. {@code threads: auto} follows Boot's own switch: with
		 * {@code spring.threads.virtual.enabled=false} set explicitly it means platform
		 * threads, as it does for Boot's executors.
		 */
		private static void configure(PoolSpec spec, String name, BridgeProperties.Offload offload,
				BridgeProperties.@Nullable Pool pool, OffloadExecutors executors, boolean virtualThreadsOff) {
			ThreadMode threads = inherit(pool, BridgeProperties.Pool::getThreads, offload.getThreads());
			if (threads == ThreadMode.AUTO && virtualThreadsOff) {
				threads = ThreadMode.PLATFORM;
			}
			int maxConcurrency = inherit(pool, BridgeProperties.Pool::getMaxConcurrency, offload.getMaxConcurrency());
			int queueCapacity = inherit(pool, BridgeProperties.Pool::getQueueCapacity, offload.getQueueCapacity());
			spec.threads(threads).maxConcurrency(maxConcurrency).queueCapacity(queueCapacity);
			setDuration(spec::timeout, name, pool, "timeout", BridgeProperties.Pool::getTimeout, offload.getTimeout());
			setDuration(spec::stallThreshold, name, pool, "stall-threshold", BridgeProperties.Pool::getStallThreshold,
					offload.getStallThreshold());
			Executor executor = executors.create(name, threads);
			if (executor != null) {
				spec.executor(executor);
			}
		}

		private static <T> T inherit(BridgeProperties.@Nullable Pool pool,
				Function<BridgeProperties.Pool, @Nullable T> getter, T inherited) {
			T value = (pool != null) ? getter.apply(pool) : null;
			return (value != null) ? value : inherited;
		}

		/**
		 * Sets one of a pool's durations, its own or else the inherited one, through the
		 * core setter, which checks it; a refusal names the key the value came from.
		 */
		private static void setDuration(Consumer<Duration> setter, String name, BridgeProperties.@Nullable Pool pool,
				String property, Function<BridgeProperties.Pool, @Nullable Duration> getter, Duration inherited) {
			Duration own = (pool != null) ? getter.apply(pool) : null;
			String key = (own != null) ? "bridge.offload.pools." + name + "." + property : "bridge.offload." + property;
			apply(key, () -> setter.accept((own != null) ? own : inherited));
		}

		/**
		 * Hands a property's value to the core, which checks it and says what is wrong
		 * without knowing the key: the refusal is rethrown naming the key.
		 */
		private static void apply(String key, Runnable setter) {
			try {
				setter.run();
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(key + " is refused: " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * The {@code bridgeTaskExecutor}: reachable by name, never "the" executor found by
	 * type (see {@link NamedOnlyExecutorFactoryBean}).
	 */
	@Configuration(proxyBeanMethods = false)
	static class TaskExecutorConfiguration {

		@Bean(name = "bridgeTaskExecutor", defaultCandidate = false)
		@Fallback
		@ConditionalOnMissingBean(name = "bridgeTaskExecutor")
		NamedOnlyExecutorFactoryBean bridgeTaskExecutor(Offloader offloader) {
			return new NamedOnlyExecutorFactoryBean(new OffloaderTaskExecutor(offloader));
		}

	}

}
