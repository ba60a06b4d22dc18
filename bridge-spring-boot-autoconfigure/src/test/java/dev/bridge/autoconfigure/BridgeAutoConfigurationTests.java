/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link BridgeAutoConfiguration} and {@link BridgeProperties}.
 */
class BridgeAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, AopAutoConfiguration.class,
				BridgeAutoConfiguration.class));

	@Test
	void autoThreadsFollowBootsVirtualThreadsSwitchWhenItIsSetToFalse() {
		assumeThat(ThreadMode.virtualThreadsAvailable()).as("virtual threads").isTrue();
		this.contextRunner.withPropertyValues("bridge.offload.pools.jdbc.max-concurrency=2").run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			assertThat(offloader.stats().virtualThreads()).isTrue();
			assertThat(offloader.future(BridgeAutoConfigurationTests::onVirtualThread).get(5, TimeUnit.SECONDS))
				.isTrue();
		});
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=false", "bridge.offload.pools.jdbc.max-concurrency=2",
					"bridge.offload.pools.vt.threads=virtual")
			.run((context) -> {
				Offloader offloader = context.getBean(Offloader.class);
				assertThat(offloader.stats().virtualThreads()).isFalse();
				assertThat(offloader.pool("jdbc").stats().virtualThreads()).isFalse();
				assertThat(offloader.future(BridgeAutoConfigurationTests::onVirtualThread).get(5, TimeUnit.SECONDS))
					.isFalse();
				assertThat(offloader.pool("vt").stats().virtualThreads()).as("an explicit virtual pool").isTrue();
			});
	}

	/** Whether the caller runs on a virtual thread (compiled for Java 17). */
	private static boolean onVirtualThread() {
		return Thread.currentThread().getClass().getName().equals("java.lang.VirtualThread");
	}

	@Test
	void registersLoopRunnerOffloaderAndTaskExecutorUnderTheirPinnedNames() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LoopRunner.class)
				.hasBean("bridgeLoopRunner")
				.hasSingleBean(Offloader.class)
				.hasBean("bridgeOffloader")
				.hasBean("bridgeTaskExecutor")
				.hasSingleBean(ContextCapture.class);
			assertThat(context.getBean(LoopRunner.class).stats().name()).startsWith("bridge-loop-");
			assertThat(context.getBean("bridgeTaskExecutor")).isInstanceOf(AsyncTaskExecutor.class);
		});
	}

	@Test
	void loopRunnerBacksOffWhenTheApplicationDefinesOne() {
		this.contextRunner.withUserConfiguration(UserLoopRunnerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(LoopRunner.class)
				.hasBean("userLoopRunner")
				.doesNotHaveBean("bridgeLoopRunner");
			assertThat(context.getBean(LoopRunner.class).stats().name()).startsWith("user-loop-");
		});
	}

	@Test
	void offloaderAndItsExecutorsBackOffWhenTheApplicationDefinesAnOffloader() {
		this.contextRunner.withUserConfiguration(UserOffloaderConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(Offloader.class)
				.hasBean("userOffloader")
				.doesNotHaveBean("bridgeOffloader")
				.doesNotHaveBean(OffloadExecutors.class);
			assertThat(context.getBean("bridgeTaskExecutor").toString()).contains("userOffloader-marker");
		});
	}

	@Test
	void taskExecutorBacksOffWhenTheApplicationDefinesOneWithTheSameName() {
		this.contextRunner.withUserConfiguration(UserTaskExecutorConfiguration.class)
			.run((context) -> assertThat(context.getBean("bridgeTaskExecutor"))
				.isSameAs(UserTaskExecutorConfiguration.EXECUTOR));
	}

	@Test
	void contextCaptureBacksOffWhenTheApplicationDefinesOne() {
		this.contextRunner.withUserConfiguration(UserContextCaptureConfiguration.class)
			.run((context) -> assertThat(context.getBean(ContextCapture.class)).isSameAs(ContextCapture.none()));
	}

	@Test
	void disabledBridgeRegistersNothing() {
		this.contextRunner.withPropertyValues("bridge.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(LoopRunner.class)
				.doesNotHaveBean(Offloader.class)
				.doesNotHaveBean("bridgeTaskExecutor")
				.doesNotHaveBean(BridgeProperties.class)
				.doesNotHaveBean(ContextCapture.class);
		});
	}

	@Test
	void namedPoolsInheritUnsetValuesFromTheOffloadLevel() {
		this.contextRunner
			.withPropertyValues("bridge.offload.max-concurrency=7", "bridge.offload.queue-capacity=70",
					"bridge.offload.pools.jdbc.max-concurrency=3", "bridge.offload.pools.cpu.threads=platform",
					"bridge.offload.pools.cpu.queue-capacity=5")
			.run((context) -> {
				Offloader offloader = context.getBean(Offloader.class);
				assertThat(offloader.poolNames()).containsExactly("default", "jdbc", "cpu");
				OffloadStats defaults = offloader.stats();
				assertThat(defaults.limit()).isEqualTo(7);
				assertThat(defaults.queueCapacity()).isEqualTo(70);
				OffloadStats jdbc = offloader.pool("jdbc").stats();
				assertThat(jdbc.limit()).isEqualTo(3);
				assertThat(jdbc.queueCapacity()).isEqualTo(70);
				OffloadStats cpu = offloader.pool("cpu").stats();
				assertThat(cpu.limit()).isEqualTo(7);
				assertThat(cpu.queueCapacity()).isEqualTo(5);
				assertThat(cpu.virtualThreads()).isFalse();
				assertThat(defaults.virtualThreads()).isEqualTo(ThreadMode.virtualThreadsAvailable());
			});
	}

	@Test
	void poolsRunOnSpringExecutorThreadsNamedAfterThePool() {
		this.contextRunner.withPropertyValues("bridge.offload.pools.jdbc.threads=platform").run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			assertThat(offloader.future(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
				.startsWith("bridge-offload-default-");
			assertThat(offloader.pool("jdbc").future(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
				.startsWith("bridge-offload-jdbc-");
		});
	}

	@Test
	void poolTimeoutIsApplied() {
		this.contextRunner.withPropertyValues("bridge.offload.pools.jdbc.timeout=50ms").run((context) -> {
			Offloader jdbc = context.getBean(Offloader.class).pool("jdbc");
			CompletableFuture<Object> call = jdbc.future(() -> {
				new CompletableFuture<>().get();
				return null;
			});
			assertThat(call).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(dev.bridge.offload.OffloadTimeoutException.class);
		});
	}

	@Test
	void contextIsCarriedToThePoolIncludingTheMdc() {
		this.contextRunner
			.run((context) -> assertThat(mdcSeenOnPool(context.getBean(Offloader.class))).isEqualTo("42"));
	}

	@Test
	void mdcIsNotCarriedWhenDisabled() {
		this.contextRunner.withPropertyValues("bridge.context.mdc=false")
			.run((context) -> assertThat(mdcSeenOnPool(context.getBean(Offloader.class))).isNull());
	}

	@Test
	void nothingIsCarriedWhenPropagationIsOff() {
		this.contextRunner.withPropertyValues("bridge.context.propagation=false")
			.run((context) -> assertThat(context.getBean(ContextCapture.class)).isSameAs(ContextCapture.none()));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					bridge.loop.thread-name=                 | bridge.loop.thread-name must not be blank
					bridge.loop.call-timeout=0s              | bridge.loop.call-timeout must be positive but was PT0S
					bridge.loop.stall-threshold=-1ms         | bridge.loop.stall-threshold must be positive
					bridge.loop.lag-probe-interval=0ms       | bridge.loop.lag-probe-interval must be positive
					bridge.offload.max-concurrency=0         | bridge.offload.max-concurrency must be positive but was 0
					bridge.offload.queue-capacity=-1         | bridge.offload.queue-capacity must not be negative but was -1
					bridge.offload.timeout=-1s               | bridge.offload.timeout must not be negative
					bridge.offload.pools.jdbc.max-concurrency=-5 | bridge.offload.pools.jdbc.max-concurrency must be positive but was -5
					bridge.offload.pools.jdbc.queue-capacity=-2  | bridge.offload.pools.jdbc.queue-capacity must not be negative
					bridge.offload.pools.jdbc.timeout=-5s    | bridge.offload.pools.jdbc.timeout must not be negative
					bridge.shutdown.timeout=-1s              | bridge.shutdown.timeout must not be negative
					bridge.health.lag-down-threshold=0s      | bridge.health.lag-down-threshold must be positive
					""")
	void invalidValueFailsStartupNamingTheKey(String property, String message) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining(message));
	}

	@Test
	void unknownThreadModeFailsStartupNamingTheKey() {
		this.contextRunner.withPropertyValues("bridge.offload.pools.cpu.threads=green")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'bridge.offload.pools.cpu.threads'"));
	}

	@Test
	void virtualThreadsOnAJvmWithoutThemFailStartupNamingTheKey() {
		assumeThat(ThreadMode.virtualThreadsAvailable()).as("JVM without virtual threads").isFalse();
		this.contextRunner.withPropertyValues("bridge.offload.threads=virtual")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("bridge.offload.threads is virtual, but this JVM"));
	}

	@Test
	void zeroTimeoutsWhereAllowedStartFine() {
		this.contextRunner
			.withPropertyValues("bridge.offload.timeout=0s", "bridge.shutdown.timeout=0s",
					"bridge.offload.queue-capacity=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void asyncKeepsUsingBootsApplicationTaskExecutorWhileBridgeTaskExecutorIsAvailableByName() {
		this.contextRunner.withUserConfiguration(AsyncConfiguration.class).run((context) -> {
			assertThat(context).hasBean("applicationTaskExecutor");
			assertThat(context.getBean(TaskExecutor.class)).isSameAs(context.getBean("applicationTaskExecutor"));
			AsyncService service = context.getBean(AsyncService.class);
			assertThat(service.onDefault().get(5, TimeUnit.SECONDS)).doesNotStartWith("bridge-");
			assertThat(service.onBridge().get(5, TimeUnit.SECONDS)).startsWith("bridge-offload-default-");
		});
	}

	@Test
	void bridgeTaskExecutorCarriesTheCallersContext() {
		this.contextRunner.run((context) -> {
			AsyncTaskExecutor executor = context.getBean("bridgeTaskExecutor", AsyncTaskExecutor.class);
			MDC.put("request", "7");
			try {
				assertThat(executor.submitCompletable(() -> MDC.get("request")).get(5, TimeUnit.SECONDS))
					.isEqualTo("7");
			}
			finally {
				MDC.remove("request");
			}
		});
	}

	private static String mdcSeenOnPool(Offloader offloader) throws Exception {
		MDC.put("request", "42");
		try {
			return offloader.future(() -> MDC.get("request")).get(5, TimeUnit.SECONDS);
		}
		finally {
			MDC.remove("request");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserLoopRunnerConfiguration {

		@Bean(destroyMethod = "close")
		LoopRunner userLoopRunner() {
			return LoopRunner.builder().threadName("user-loop").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOffloaderConfiguration {

		@Bean
		Offloader userOffloader() {
			Offloader offloader = Offloader.create();
			return new Offloader() {

				@Override
				public <T> reactor.core.publisher.Mono<T> mono(java.util.concurrent.Callable<T> blocking) {
					return offloader.mono(blocking);
				}

				@Override
				public <T> CompletableFuture<T> future(java.util.concurrent.Callable<T> blocking) {
					return offloader.future(blocking);
				}

				@Override
				public <T> reactor.core.publisher.Flux<T> flux(
						java.util.concurrent.Callable<? extends java.util.stream.Stream<T>> blocking) {
					return offloader.flux(blocking);
				}

				@Override
				public Offloader pool(String name) {
					return offloader.pool(name);
				}

				@Override
				public Offloader timeout(Duration timeout) {
					return offloader.timeout(timeout);
				}

				@Override
				public java.util.Set<String> poolNames() {
					return offloader.poolNames();
				}

				@Override
				public OffloadStats stats() {
					return offloader.stats();
				}

				@Override
				public String toString() {
					return "userOffloader-marker";
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTaskExecutorConfiguration {

		static final TaskExecutor EXECUTOR = Runnable::run;

		@Bean
		TaskExecutor bridgeTaskExecutor() {
			return EXECUTOR;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserContextCaptureConfiguration {

		@Bean
		ContextCapture userContextCapture() {
			return ContextCapture.none();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

		@Bean
		AsyncService asyncService() {
			return new AsyncService();
		}

	}

	static class AsyncService {

		@Async
		public CompletableFuture<String> onDefault() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Async("bridgeTaskExecutor")
		public CompletableFuture<String> onBridge() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

}
