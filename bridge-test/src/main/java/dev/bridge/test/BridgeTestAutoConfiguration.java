/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.BridgeProperties;
import dev.bridge.autoconfigure.LoopRunnerCustomizer;
import dev.bridge.autoconfigure.OffloaderCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Bridge's test support, imported by
 * {@link AutoConfigureBridgeTest @AutoConfigureBridgeTest}: a {@link BridgeRecorder} bean
 * ({@code bridgeRecorder}) that records every {@code Offloader} and {@code LoopRunner}
 * bean of the context.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = BridgeAutoConfiguration.class)
public final class BridgeTestAutoConfiguration {

	@Bean
	static BridgeRecordingPostProcessor bridgeRecordingPostProcessor() {
		return new BridgeRecordingPostProcessor(BridgeRecorder.create());
	}

	@Bean
	BridgeRecorder bridgeRecorder(BridgeRecordingPostProcessor postProcessor) {
		return postProcessor.recorder();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.test.scheduler.VirtualTimeScheduler")
	@ConditionalOnBooleanProperty("bridge-test.virtual-time")
	static class VirtualTimeConfiguration {

		@Bean
		VirtualClock bridgeVirtualClock() {
			return VirtualClock.create();
		}

		@Bean
		OffloaderCustomizer bridgeVirtualTimeOffloaderCustomizer(VirtualClock clock) {
			return (builder) -> builder.timer(clock.scheduler());
		}

		@Bean
		LoopRunnerCustomizer bridgeVirtualTimeLoopRunnerCustomizer(VirtualClock clock) {
			return (builder) -> builder.timer(clock.scheduler());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("bridge-test.deterministic")
	static class DeterministicConfiguration {

		@Bean
		SteppedExecutor bridgeSteppedExecutor() {
			return new SteppedExecutor();
		}

		@Bean
		OffloaderCustomizer bridgeDeterministicOffloaderCustomizer(SteppedExecutor executor,
				ObjectProvider<BridgeProperties> properties) {
			return (builder) -> {
				builder.defaultPool((spec) -> spec.executor(executor).maxConcurrency(Integer.MAX_VALUE));
				BridgeProperties configured = properties.getIfAvailable();
				if (configured != null) {
					configured.getOffload()
						.getPools()
						.keySet()
						.forEach((name) -> builder.pool(name,
								(spec) -> spec.executor(executor).maxConcurrency(Integer.MAX_VALUE)));
				}
			};
		}

	}

}
