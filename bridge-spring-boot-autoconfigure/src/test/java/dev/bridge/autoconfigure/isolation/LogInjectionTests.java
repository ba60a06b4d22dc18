/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.isolation;

import java.time.Duration;
import java.util.concurrent.Executor;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 20, item 8: a line break in the message of an exception a failed {@code void}
 * method threw (user input, perhaps) cannot forge a line in the log Bridge writes.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogInjectionTests {

	private static final String FORGED = "2026-01-01T00:00:00.000Z  INFO 1 --- [main] audit : admin logged in";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class))
		.withBean(Failing.class);

	@Test
	void aFailedVoidMethodsMessageIsLoggedOnOneLine(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			context.getBean(Failing.class).fail("no such order: 42\r\n" + FORGED);
			await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("Failing.fail failed"));
			assertThat(output.getOut().lines()).as("log lines").noneMatch((line) -> line.startsWith(FORGED));
			assertThat(output.getOut()).contains("no such order: 42\\r\\n" + FORGED);
		});
	}

	@Test
	void aFailedBridgeTaskExecutorTasksMessageIsLoggedOnOneLine(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			Executor executor = context.getBean("bridgeTaskExecutor", Executor.class);
			executor.execute(() -> {
				throw new IllegalStateException("no such order: 43\r\n" + FORGED);
			});
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("submitted to bridgeTaskExecutor failed"));
			assertThat(output.getOut().lines()).as("log lines").noneMatch((line) -> line.startsWith(FORGED));
			assertThat(output.getOut()).contains("no such order: 43\\r\\n" + FORGED);
		});
	}

	static class Failing {

		@OffloadBlocking
		public void fail(String input) {
			throw new IllegalArgumentException(input);
		}

	}

}
