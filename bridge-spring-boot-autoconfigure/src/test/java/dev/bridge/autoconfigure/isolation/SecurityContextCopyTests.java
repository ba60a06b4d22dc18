/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.isolation;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, item 1: a body that changes its {@code SecurityContext} (the "run as" idiom,
 * {@code getContext().setAuthentication(admin)}) changes only its own copy, through every
 * way into Bridge, with Spring Security's own holder and accessor: its caller, a sibling
 * call of the same caller and the instance the caller holds stay as they were.
 */
class SecurityContextCopyTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class))
		.withPropertyValues("bridge.offload.max-concurrency=4", "bridge.shutdown.timeout=1s")
		.withUserConfiguration(RunAsConfiguration.class);

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	@Timeout(30)
	void aBodyThatRunsAsAdminLeavesItsCallersContextAsItWas() {
		this.contextRunner.run((context) -> {
			RunAsService service = context.getBean(RunAsService.class);
			Offloader offloader = context.getBean(Offloader.class);
			LoopRunner loop = context.getBean(LoopRunner.class);
			AsyncTaskExecutor executor = context.getBean("bridgeTaskExecutor", AsyncTaskExecutor.class);
			assertIsolated("@OffloadBlocking CompletableFuture", () -> service.future().get(10, TimeUnit.SECONDS));
			assertIsolated("@OffloadBlocking Mono", () -> service.mono().block());
			assertIsolated("@OffloadBlocking void", () -> {
				CountDownLatch done = new CountDownLatch(1);
				service.fireAndForget(done);
				return done.await(10, TimeUnit.SECONDS);
			});
			assertIsolated("@RunOnLoop sync", service::onLoop);
			assertIsolated("@RunOnLoop Mono", () -> service.loopMono().block());
			assertIsolated("Offloader.future",
					() -> offloader.future(RunAsService::runAsAdmin).get(10, TimeUnit.SECONDS));
			assertIsolated("LoopRunner.call", () -> loop.call(RunAsService::runAsAdmin));
			assertIsolated("LoopRunner.submit",
					() -> loop.submit(Mono.fromCallable(RunAsService::runAsAdmin)).get(10, TimeUnit.SECONDS));
			assertIsolated("bridgeTaskExecutor",
					() -> executor.submitCompletable(RunAsService::runAsAdmin).get(10, TimeUnit.SECONDS));
		});
	}

	@Test
	@Timeout(30)
	void aBodyThatRunsAsAdminLeavesTheReactiveSecurityContextAsItWas() {
		this.contextRunner.run((context) -> {
			RunAsService service = context.getBean(RunAsService.class);
			SecurityContext alice = new SecurityContextImpl(new TestingAuthenticationToken("alice", "secret"));
			String seen = service.mono()
				.contextWrite(ReactiveSecurityContextHolder.withSecurityContext(Mono.just(alice)))
				.block();
			assertThat(seen).isEqualTo("alice>admin");
			assertThat(alice.getAuthentication().getName()).as("the instance the subscriber's context holds")
				.isEqualTo("alice");
		});
	}

	@Test
	@Timeout(30)
	void aSiblingCallOfTheSameCallerDoesNotSeeTheOtherBodysChange() {
		this.contextRunner.run((context) -> {
			RunAsService service = context.getBean(RunAsService.class);
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "secret"));
			CountDownLatch changed = new CountDownLatch(1);
			CompletableFuture<String> runAs = service.runAsAdminThen(changed);
			CompletableFuture<String> sibling = service.whoAmIAfter(changed);
			assertThat(runAs.get(10, TimeUnit.SECONDS)).isEqualTo("alice>admin");
			assertThat(sibling.get(10, TimeUnit.SECONDS)).isEqualTo("alice");
		});
	}

	private static void assertIsolated(String path, Callable<?> call) throws Exception {
		SecurityContext callers = SecurityContextHolder.createEmptyContext();
		callers.setAuthentication(new TestingAuthenticationToken("alice", "secret"));
		SecurityContextHolder.setContext(callers);
		try {
			call.call();
			assertThat(SecurityContextHolder.getContext().getAuthentication().getName())
				.as("%s: the caller's identity after the call", path)
				.isEqualTo("alice");
			assertThat(callers.getAuthentication().getName()).as("%s: the caller's SecurityContext instance", path)
				.isEqualTo("alice");
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class RunAsConfiguration {

		@Bean
		RunAsService runAsService() {
			return new RunAsService();
		}

	}

	static class RunAsService {

		static String runAsAdmin() {
			SecurityContext context = SecurityContextHolder.getContext();
			String before = (context.getAuthentication() != null) ? context.getAuthentication().getName() : "none";
			context.setAuthentication(new TestingAuthenticationToken("admin", "root", "ROLE_ADMIN"));
			return before + ">admin";
		}

		@OffloadBlocking
		public CompletableFuture<String> future() {
			return CompletableFuture.completedFuture(runAsAdmin());
		}

		@OffloadBlocking
		public Mono<String> mono() {
			return Mono.just(runAsAdmin());
		}

		@OffloadBlocking
		public void fireAndForget(CountDownLatch done) {
			runAsAdmin();
			done.countDown();
		}

		@RunOnLoop
		public String onLoop() {
			return runAsAdmin();
		}

		@RunOnLoop
		public Mono<String> loopMono() {
			return Mono.just(runAsAdmin());
		}

		@OffloadBlocking
		public CompletableFuture<String> runAsAdminThen(CountDownLatch changed) {
			String seen = runAsAdmin();
			changed.countDown();
			return CompletableFuture.completedFuture(seen);
		}

		@OffloadBlocking
		public CompletableFuture<String> whoAmIAfter(CountDownLatch changed) throws InterruptedException {
			changed.await(10, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture(SecurityContextHolder.getContext().getAuthentication().getName());
		}

	}

}
