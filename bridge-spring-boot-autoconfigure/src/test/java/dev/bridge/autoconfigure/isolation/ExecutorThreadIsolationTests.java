/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.isolation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 20, item 2, with the Spring-managed executors and Spring Security's
 * {@code MODE_INHERITABLETHREADLOCAL}: a pool thread started by alice's call does not
 * inherit her identity or tenant, so neither bob's body nor the code after an anonymous
 * body sees them.
 */
@Timeout(30)
class ExecutorThreadIsolationTests {

	private static final InheritableThreadLocal<String> TENANT = new InheritableThreadLocal<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BridgeAutoConfiguration.class))
		.withPropertyValues("bridge.offload.max-concurrency=1", "bridge.shutdown.timeout=1s");

	@Test
	void platformPoolThreadsInheritNothingFromTheCallerThatStartedThem() {
		assertNothingInherited("platform");
	}

	@Test
	void virtualPoolThreadsInheritNothingFromTheirCaller() {
		assumeTrue(ThreadMode.virtualThreadsAvailable(), "virtual threads need Java 21+");
		assertNothingInherited("virtual");
	}

	private void assertNothingInherited(String threads) {
		this.contextRunner.withPropertyValues("bridge.offload.threads=" + threads).run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
			SecurityContextHolder.setStrategyName(SecurityContextHolder.MODE_INHERITABLETHREADLOCAL);
			try {
				assertThat(callAs("alice", () -> offloader.future(ExecutorThreadIsolationTests::seen)))
					.isEqualTo("alice|null");
				SecurityContextHolder.clearContext();
				// An anonymous caller's body (nothing captured) and the code that runs on
				// the worker after it, where the call completes.
				CountDownLatch attached = new CountDownLatch(1);
				CompletableFuture<String> anonymous = offloader.future(() -> {
					attached.await(10, TimeUnit.SECONDS);
					return seen() + " then ";
				});
				CompletableFuture<String> after = anonymous.thenApply((body) -> body + seen());
				attached.countDown();
				assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("anonymous|null then anonymous|null");
			}
			finally {
				SecurityContextHolder.setContextHolderStrategy(strategy);
				SecurityContextHolder.clearContext();
			}
		});
	}

	private static String seen() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return ((authentication != null) ? authentication.getName() : "anonymous") + "|" + TENANT.get();
	}

	private static String callAs(String user, java.util.concurrent.Callable<CompletableFuture<String>> call)
			throws Exception {
		CompletableFuture<String> result = new CompletableFuture<>();
		Thread caller = new Thread(() -> {
			TENANT.set(user + "-tenant");
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(user, "secret"));
			try {
				call.call().whenComplete((value, error) -> {
					if (error != null) {
						result.completeExceptionally(error);
					}
					else {
						result.complete(value);
					}
				});
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "caller-" + user);
		caller.start();
		return result.get(20, TimeUnit.SECONDS);
	}

}
