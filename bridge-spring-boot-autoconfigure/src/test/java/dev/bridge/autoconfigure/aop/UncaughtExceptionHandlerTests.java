/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failing {@code void} {@code @OffloadBlocking} method reaches the application's
 * {@link AsyncUncaughtExceptionHandler} (from its {@link AsyncConfigurer}), as a failing
 * {@code @Async} method does; without one, Bridge logs it.
 */
@ExtendWith(OutputCaptureExtension.class)
class UncaughtExceptionHandlerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, AopAutoConfiguration.class,
				BridgeAutoConfiguration.class, BridgeAspectsAutoConfiguration.class))
		.withBean(FailingService.class);

	@Test
	void voidFailureReachesTheApplicationsHandler(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(HandlerConfiguration.class).run((context) -> {
			context.getBean(FailingService.class).fail("order-1");
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			await().atMost(10, TimeUnit.SECONDS).until(() -> !handler.calls.isEmpty());
			Call call = handler.calls.get(0);
			assertThat(call.failure()).isInstanceOf(IllegalStateException.class).hasMessage("boom order-1");
			assertThat(call.method().getName()).isEqualTo("fail");
			assertThat(call.params()).containsExactly("order-1");
			assertThat(output).doesNotContain("@OffloadBlocking void method FailingService.fail failed");
		});
	}

	@Test
	void withoutAHandlerBridgeLogsTheFailure(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			context.getBean(FailingService.class).fail("order-2");
			await().atMost(10, TimeUnit.SECONDS)
				.untilAsserted(
						() -> assertThat(output).contains("@OffloadBlocking void method FailingService.fail failed")
							.contains("boom order-2"));
		});
	}

	static class FailingService {

		@OffloadBlocking
		public void fail(String order) {
			throw new IllegalStateException("boom " + order);
		}

	}

	record Call(Throwable failure, Method method, List<Object> params) {
	}

	static class RecordingHandler implements AsyncUncaughtExceptionHandler {

		final List<Call> calls = new CopyOnWriteArrayList<>();

		@Override
		public void handleUncaughtException(Throwable ex, Method method, Object... params) {
			this.calls.add(new Call(ex, method, List.of(params)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class HandlerConfiguration {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

		@Bean
		AsyncConfigurer asyncConfigurer(RecordingHandler recordingHandler) {
			return new AsyncConfigurer() {

				@Override
				public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
					return recordingHandler;
				}

			};
		}

	}

}
