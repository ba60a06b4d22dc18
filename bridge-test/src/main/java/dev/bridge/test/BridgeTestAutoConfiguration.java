/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

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

}
