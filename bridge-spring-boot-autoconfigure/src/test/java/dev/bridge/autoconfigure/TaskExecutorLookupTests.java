/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Adding Bridge never changes where existing code runs: {@code bridgeTaskExecutor} is
 * never the executor Spring or anyone else finds by type, on every lookup path Spring
 * has, while {@code @Async("bridgeTaskExecutor")} and qualified injection still reach it.
 */
class TaskExecutorLookupTests {

	private static final String BRIDGE_THREAD = "bridge-offload-default-";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class, AopAutoConfiguration.class,
				BridgeAutoConfiguration.class, BridgeAspectsAutoConfiguration.class));

	@ParameterizedTest(name = "proxy-target-class={0}")
	@ValueSource(booleans = { true, false })
	void withTheApplicationsOwnExecutorPlainAsyncStaysOnItAndBridgeRoutesItsOwn(boolean proxyTargetClass) {
		// The application: its own Executor (so Boot's applicationTaskExecutor
		// backs off) and plain @Async, next to Bridge.
		this.contextRunner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass)
			.withUserConfiguration(CustomExecutorConfiguration.class, MixedConfiguration.class,
					InjectionConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MixedApi service = context.getBean(MixedApi.class);
				assertThat(service.plainAsync().get(10, TimeUnit.SECONDS)).startsWith("Custom-");
				assertThat(service.namedAsync().get(10, TimeUnit.SECONDS)).startsWith(BRIDGE_THREAD);
				assertThat(service.offloaded().block(Duration.ofSeconds(10))).startsWith(BRIDGE_THREAD);
				assertLookupsFind(context, context.getBean("taskExecutor"));
				assertThatExceptionOfType(NoSuchBeanDefinitionException.class)
					.isThrownBy(() -> context.getBean(TaskExecutor.class));
				assertThat(context.getBeanProvider(TaskExecutor.class).getIfAvailable()).isNull();
				assertThat(context.getBeanProvider(AsyncTaskExecutor.class).getIfUnique()).isNull();
			});
	}

	@Test
	void withBootsExecutorPlainAsyncAndEveryLookupStayOnIt() {
		this.contextRunner.withUserConfiguration(MixedConfiguration.class, InjectionConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MixedApi service = context.getBean(MixedApi.class);
				assertThat(service.plainAsync().get(10, TimeUnit.SECONDS)).startsWith("task-");
				assertThat(service.namedAsync().get(10, TimeUnit.SECONDS)).startsWith(BRIDGE_THREAD);
				Object boots = context.getBean("applicationTaskExecutor");
				assertLookupsFind(context, boots);
				assertThat(context.getBean(TaskExecutor.class)).isSameAs(boots);
				assertThat(context.getBeanProvider(AsyncTaskExecutor.class).getIfAvailable()).isSameAs(boots);
			});
	}

	@Test
	void withoutAnyOtherExecutorPlainAsyncUsesSpringsFallbackAsBefore() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class,
					AopAutoConfiguration.class, BridgeAutoConfiguration.class, BridgeAspectsAutoConfiguration.class))
			.withUserConfiguration(MixedConfiguration.class)
			.run((context) -> {
				MixedApi service = context.getBean(MixedApi.class);
				assertThat(service.plainAsync().get(10, TimeUnit.SECONDS)).startsWith("SimpleAsyncTaskExecutor-");
				assertThatExceptionOfType(NoSuchBeanDefinitionException.class)
					.isThrownBy(() -> context.getBean(TaskExecutor.class));
				assertThat(context.getBeanProvider(TaskExecutor.class).getIfAvailable()).isNull();
			});
	}

	@Test
	void scheduledMethodsStayOnTheScheduler() {
		this.contextRunner.withUserConfiguration(CustomExecutorConfiguration.class, SchedulingConfiguration.class)
			.run((context) -> {
				ScheduledJob job = context.getBean(ScheduledJob.class);
				assertThat(job.ran.await(10, TimeUnit.SECONDS)).isTrue();
				assertThat(job.thread.get()).startsWith("scheduling-");
			});
	}

	private static void assertLookupsFind(AssertableApplicationContext context, Object expected) {
		assertThat(context.getBean(Executor.class)).isSameAs(expected);
		assertThat(context.getBeanProvider(Executor.class).getIfAvailable()).isSameAs(expected);
		assertThat(context.getBeanProvider(Executor.class).getIfUnique()).isSameAs(expected);
		assertThat(context.getBeanProvider(Executor.class).getObject()).isSameAs(expected);
		Injected injected = context.getBean(Injected.class);
		assertThat(injected.unqualified).isSameAs(expected);
		assertThat(injected.bridge).isSameAs(context.getBean("bridgeTaskExecutor"));
		assertThat(context.getBean("bridgeTaskExecutor", AsyncTaskExecutor.class)).isSameAs(injected.bridge);
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomExecutorConfiguration {

		@Bean(destroyMethod = "shutdownNow")
		Executor taskExecutor() {
			return Executors.newSingleThreadExecutor(new CustomizableThreadFactory("Custom-"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class MixedConfiguration {

		@Bean
		MixedApi mixedService() {
			return new MixedService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InjectionConfiguration {

		@Bean
		Injected injected(Executor unqualified, @Qualifier("bridgeTaskExecutor") Executor bridge) {
			return new Injected(unqualified, bridge);
		}

	}

	record Injected(Executor unqualified, Executor bridge) {
	}

	interface MixedApi {

		CompletableFuture<String> plainAsync();

		CompletableFuture<String> namedAsync();

		Mono<String> offloaded();

	}

	static class MixedService implements MixedApi {

		@Override
		@Async
		public CompletableFuture<String> plainAsync() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Override
		@Async("bridgeTaskExecutor")
		public CompletableFuture<String> namedAsync() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Override
		@OffloadBlocking
		public Mono<String> offloaded() {
			// The body's thread, not the thread that later subscribes to the result.
			return Mono.just(Thread.currentThread().getName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

		@Bean
		ScheduledJob scheduledJob() {
			return new ScheduledJob();
		}

	}

	static class ScheduledJob {

		final CountDownLatch ran = new CountDownLatch(1);

		final AtomicReference<String> thread = new AtomicReference<>();

		@Scheduled(fixedDelay = 60_000)
		void run() {
			this.thread.compareAndSet(null, Thread.currentThread().getName());
			this.ran.countDown();
		}

	}

}
