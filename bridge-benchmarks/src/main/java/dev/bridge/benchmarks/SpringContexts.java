/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Starts the non-web Spring Boot application the Spring-based benchmarks call into:
 * Bridge's auto-configuration (through the starter), Boot's {@code @Async} executor, and
 * three beans whose trivial methods are called through their proxies.
 */
final class SpringContexts {

	private SpringContexts() {
	}

	/**
	 * Starts the application with the given extra properties, and checks that the Bridge
	 * aspects are really applied (a missing starter would otherwise benchmark a plain
	 * method call).
	 * @param properties extra properties, such as {@code bridge.offload.threads}
	 * @return the running context; close it in the tear-down
	 */
	static ConfigurableApplicationContext start(Map<String, Object> properties) {
		SpringApplication application = new SpringApplication(BenchmarkApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		Map<String, Object> defaults = new HashMap<>();
		defaults.put("logging.level.root", "warn");
		defaults.putAll(properties);
		application.setDefaultProperties(defaults);
		ConfigurableApplicationContext context = application.run();
		String caller = Thread.currentThread().getName();
		String offloadedOn = context.getBean(OffloadedWork.class).threadName().block();
		String loopedOn = context.getBean(LoopWork.class).threadName();
		if (caller.equals(offloadedOn) || caller.equals(loopedOn)) {
			context.close();
			throw new IllegalStateException("the Bridge aspects are not applied (offloaded work ran on '" + offloadedOn
					+ "', loop work on '" + loopedOn + "', the caller is '" + caller
					+ "'): is bridge-spring-boot-starter on the class path?");
		}
		return context;
	}

	/**
	 * The benchmark application: auto-configuration plus the three beans.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableAsync
	static class BenchmarkApplication {

		@Bean
		OffloadedWork offloadedWork() {
			return new OffloadedWork();
		}

		@Bean
		AsyncWork asyncWork() {
			return new AsyncWork();
		}

		@Bean
		LoopWork loopWork() {
			return new LoopWork();
		}

	}

	/**
	 * A trivial blocking body behind {@link OffloadBlocking}, in both return styles.
	 */
	static class OffloadedWork {

		@OffloadBlocking
		public Mono<Integer> increment(int value) {
			return Mono.just(value + 1);
		}

		@OffloadBlocking
		public CompletableFuture<Integer> incrementFuture(int value) {
			return CompletableFuture.completedFuture(value + 1);
		}

		@OffloadBlocking
		public Mono<String> threadName() {
			return Mono.just(Thread.currentThread().getName());
		}

	}

	/**
	 * The same trivial body behind Spring's {@link Async}, on Boot's
	 * {@code applicationTaskExecutor}.
	 */
	static class AsyncWork {

		@Async
		public CompletableFuture<Integer> increment(int value) {
			return CompletableFuture.completedFuture(value + 1);
		}

	}

	/**
	 * A trivial synchronous method behind {@link RunOnLoop}.
	 */
	static class LoopWork {

		@RunOnLoop
		public Integer echo(Integer value) {
			return value;
		}

		@RunOnLoop
		public String threadName() {
			return Thread.currentThread().getName();
		}

	}

}
