/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Bridge's {@link LoopRunner} ({@code bridgeLoopRunner}),
 * {@link Offloader} ({@code bridgeOffloader}) and context-propagating task executor
 * ({@code bridgeTaskExecutor}), configured by {@link BridgeProperties}. Each bean backs
 * off when the application defines its own; {@code bridge.enabled=false} turns Bridge
 * off, and a value other than {@code true} or {@code false} stops startup, as does a key
 * under {@code bridge.} that Bridge does not know.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class,
		afterName = { "org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBridgeEnabled
@EnableConfigurationProperties(BridgeProperties.class)
@Import({ BridgeConfigurations.ContextCaptureConfiguration.class, BridgeConfigurations.LoopRunnerConfiguration.class,
		BridgeConfigurations.OffloaderConfiguration.class, BridgeConfigurations.TaskExecutorConfiguration.class })
public final class BridgeAutoConfiguration {

	/**
	 * Makes startup fail on a key under {@code bridge.} that Bridge does not know.
	 * @return the check Boot applies when it binds {@link BridgeProperties}
	 */
	@Bean
	static UnknownPropertiesCheck bridgeUnknownPropertiesCheck() {
		return new UnknownPropertiesCheck();
	}

}
