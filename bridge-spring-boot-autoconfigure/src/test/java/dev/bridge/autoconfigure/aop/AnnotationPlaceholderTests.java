/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.offload.OffloadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ${...}} placeholders in {@code @OffloadBlocking} and {@code @RunOnLoop}
 * attributes resolve as {@code @Scheduled}'s do; an unresolvable one fails startup naming
 * the method.
 */
class AnnotationPlaceholderTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class, AopAutoConfiguration.class,
				BridgeAutoConfiguration.class, BridgeAspectsAutoConfiguration.class))
		.withPropertyValues("bridge.offload.pools.jdbc.max-concurrency=2");

	@Test
	void placeholdersAndTheirDefaultsResolve() {
		this.contextRunner.withPropertyValues("app.pool=jdbc", "app.loop-timeout=3s")
			.withBean(PlaceholderService.class)
			.run((context) -> {
				PlaceholderService service = context.getBean(PlaceholderService.class);
				assertThat(service.find().block(Duration.ofSeconds(10))).startsWith("bridge-offload-jdbc-");
				// ${app.jdbc-timeout:50ms}: the default bounds the call.
				StepVerifier.create(service.slow())
					.expectError(OffloadTimeoutException.class)
					.verify(Duration.ofSeconds(10));
				service.release();
				assertThat(service.onLoop()).startsWith("bridge-loop-");
			});
	}

	@Test
	void aPropertyOverridesThePlaceholdersDefault() {
		this.contextRunner.withPropertyValues("app.pool=jdbc", "app.jdbc-timeout=10s", "app.loop-timeout=3s")
			.withBean(PlaceholderService.class)
			.run((context) -> {
				PlaceholderService service = context.getBean(PlaceholderService.class);
				Mono<String> slow = service.slow();
				service.release();
				assertThat(slow.block(Duration.ofSeconds(10))).isEqualTo("released");
			});
	}

	@Test
	void unresolvablePoolPlaceholderFailsStartupNamingTheMethod() {
		this.contextRunner.withBean(UnresolvablePool.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("@OffloadBlocking(pool = \"${app.reports-pool}\") on UnresolvablePool.load cannot be "
						+ "resolved: Could not resolve placeholder 'app.reports-pool' in value \"${app.reports-pool}\". "
						+ "Define the property, or give the placeholder a default, as in \"${app.pool:default}\""));
	}

	@Test
	void unresolvableTimeoutPlaceholderFailsStartupNamingTheMethod() {
		this.contextRunner.withBean(UnresolvableLoopTimeout.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("@RunOnLoop(timeout = \"${app.quota-timeout}\") on UnresolvableLoopTimeout.tryUse cannot "
						+ "be resolved: Could not resolve placeholder 'app.quota-timeout' in value "
						+ "\"${app.quota-timeout}\". Define the property, or give the placeholder a default, as in "
						+ "\"${app.timeout:5s}\""));
	}

	@Test
	void placeholderResolvingToAnUnknownPoolFailsStartupNamingTheMethod() {
		this.contextRunner.withPropertyValues("app.pool=reports")
			.withBean(PlaceholderService.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@OffloadBlocking(pool = \"reports\") on PlaceholderService.find names an "
						+ "offload pool that is not configured"));
	}

	@Test
	void placeholderResolvingToAMalformedTimeoutFailsStartupNamingTheMethod() {
		this.contextRunner.withPropertyValues("app.pool=jdbc", "app.loop-timeout=soon")
			.withBean(PlaceholderService.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@RunOnLoop(timeout = \"${app.loop-timeout}\"), resolved to \"soon\", on "
						+ "PlaceholderService.onLoop is not a duration"));
	}

	@Test
	void withoutAPlaceholderConfigurerUnresolvablePlaceholdersStillFailStartup() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
					BridgeAspectsAutoConfiguration.class))
			.withBean(UnresolvablePool.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@OffloadBlocking(pool = \"${app.reports-pool}\") on UnresolvablePool.load "
						+ "cannot be resolved: Could not resolve placeholder 'app.reports-pool'"));
	}

	static class PlaceholderService {

		private final CountDownLatch release = new CountDownLatch(1);

		public void release() {
			this.release.countDown();
		}

		@OffloadBlocking(pool = "${app.pool}")
		public Mono<String> find() {
			return Mono.just(Thread.currentThread().getName());
		}

		@OffloadBlocking(pool = "${app.pool}", timeout = "${app.jdbc-timeout:50ms}")
		public Mono<String> slow() throws InterruptedException {
			return Mono.just(this.release.await(10, TimeUnit.SECONDS) ? "released" : "not released");
		}

		@RunOnLoop(timeout = "${app.loop-timeout}")
		public String onLoop() {
			return Thread.currentThread().getName();
		}

	}

	static class UnresolvablePool {

		@OffloadBlocking(pool = "${app.reports-pool}")
		public Mono<String> load() {
			return Mono.just("report");
		}

	}

	static class UnresolvableLoopTimeout {

		@RunOnLoop(timeout = "${app.quota-timeout}")
		public boolean tryUse() {
			return true;
		}

	}

}
