/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.isolation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, items 4 and 7: the lazy part of what an annotated method returns (the
 * {@code Mono.fromCallable(blocking)} it assembles, the {@code Flux} it defers, the
 * continuation after a {@code Mono.delay} on the loop) runs where the annotation says,
 * never on the subscriber's thread, and sees the subscriber's identity, from the
 * {@code SecurityContextHolder} or from the Reactor context as WebFlux puts it there.
 */
@Timeout(60)
class LazyPartIsolationTests {

	private static final int SUBSCRIPTIONS = 500;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class))
		.withPropertyValues("bridge.shutdown.timeout=1s")
		.withUserConfiguration(LazyConfiguration.class);

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void theMonoAnOffloadedMethodReturnsIsSubscribedOnThePoolWithTheCallersIdentity() {
		this.contextRunner.run((context) -> {
			LazyService service = context.getBean(LazyService.class);
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "secret"));
			List<String> seen = new ArrayList<>();
			for (int i = 0; i < SUBSCRIPTIONS; i++) {
				seen.add(service.offloadedMono().block(Duration.ofSeconds(10)));
			}
			assertThat(seen).hasSize(SUBSCRIPTIONS).allMatch((s) -> s.startsWith("alice@bridge-offload-default-"));
		});
	}

	@Test
	void theFluxAnOffloadedMethodReturnsIsSubscribedOnThePoolWithTheSubscribersReactiveIdentity() {
		this.contextRunner.run((context) -> {
			LazyService service = context.getBean(LazyService.class);
			List<String> seen = service.offloadedFlux()
				.contextWrite(ReactiveSecurityContextHolder
					.withSecurityContext(Mono.just(new SecurityContextImpl(new TestingAuthenticationToken("bob", "")))))
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(seen).hasSize(3).allMatch((s) -> s.startsWith("bob@bridge-offload-default-"));
		});
	}

	@Test
	void theFluxALoopMethodReturnsIsSubscribedOnTheLoopWithTheSubscribersReactiveIdentity() {
		this.contextRunner.run((context) -> {
			LazyService service = context.getBean(LazyService.class);
			String loop = context.getBean(LoopRunner.class).stats().name();
			List<String> seen = service.loopFlux()
				.contextWrite(ReactiveSecurityContextHolder
					.withSecurityContext(Mono.just(new SecurityContextImpl(new TestingAuthenticationToken("bob", "")))))
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(seen).containsExactly("bob@" + loop, "bob@" + loop, "bob@" + loop);
		});
	}

	@Test
	void aContinuationOnTheLoopAfterADelaySeesTheCallersIdentity() {
		this.contextRunner.run((context) -> {
			LazyService service = context.getBean(LazyService.class);
			String loop = context.getBean(LoopRunner.class).stats().name();
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "secret"));
			assertThat(service.loopDelay().block(Duration.ofSeconds(30))).isEqualTo("alice@" + loop);
		});
	}

	static String seen() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return ((authentication != null) ? authentication.getName() : "anonymous") + "@"
				+ Thread.currentThread().getName();
	}

	@Configuration(proxyBeanMethods = false)
	static class LazyConfiguration {

		@Bean
		LazyService lazyService(LoopRunner loop) {
			return new LazyService(loop);
		}

	}

	static class LazyService {

		private final LoopRunner loop;

		LazyService(LoopRunner loop) {
			this.loop = loop;
		}

		@OffloadBlocking
		public Mono<String> offloadedMono() {
			return Mono.fromCallable(LazyPartIsolationTests::seen);
		}

		@OffloadBlocking
		public Flux<String> offloadedFlux() {
			return Flux.defer(() -> Flux.range(0, 3).map((i) -> seen()));
		}

		@RunOnLoop
		public Flux<String> loopFlux() {
			return Flux.defer(() -> Flux.range(0, 3).map((i) -> seen()));
		}

		@RunOnLoop
		public Mono<String> loopDelay() {
			return Mono.delay(Duration.ofMillis(5), this.loop.scheduler()).map((tick) -> seen());
		}

	}

}
