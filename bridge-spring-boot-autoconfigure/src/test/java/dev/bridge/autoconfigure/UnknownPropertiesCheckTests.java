/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.util.Map;

import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Issue 12, item 2: a key under {@code bridge.} that Bridge does not know stops startup,
 * naming the key and the closest known one, instead of being ignored.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertiesCheckTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BridgeAutoConfiguration.class));

	@Test
	void aTypoInAPoolKeyNextToAValidOneStopsStartupInsteadOfLeavingTheDefaultLimit() {
		this.contextRunner
			.withPropertyValues("bridge.offload.pools.jdbc.queue-capacity=5",
					"bridge.offload.pools.jdbc.max-concurency=4")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(UnknownBridgePropertiesException.class)
					.hasMessageContaining("bridge.offload.pools.jdbc.max-concurency");
				assertThat(describe(context.getStartupFailure())).contains("bridge.offload.pools.jdbc.max-concurency")
					.contains("did you mean bridge.offload.pools.jdbc.max-concurrency?");
			});
	}

	@Test
	void typosAnywhereUnderBridgeAreReportedTogether() {
		this.contextRunner.withPropertyValues("bridge.offload.max-concurency=4", "bridge.ofload.threads=platform")
			.run((context) -> assertThat(describe(context.getStartupFailure()))
				.containsPattern("bridge.offload.max-concurency .*: did you mean bridge.offload.max-concurrency\\?")
				.containsPattern("bridge.ofload.threads .*: did you mean bridge.offload.threads\\?"));
	}

	@Test
	void everyDocumentedKeyIsKnown() {
		this.contextRunner
			.withPropertyValues("bridge.enabled=true", "bridge.loop.thread-name=l", "bridge.loop.call-timeout=1s",
					"bridge.loop.stall-threshold=1s", "bridge.loop.lag-probe-interval=1s",
					"bridge.offload.threads=auto", "bridge.offload.max-concurrency=2",
					"bridge.offload.queue-capacity=2", "bridge.offload.timeout=0s",
					"bridge.offload.interrupt-on-cancel=true", "bridge.offload.pools.jdbc.threads=platform",
					"bridge.offload.pools.jdbc.max-concurrency=1", "bridge.offload.pools.jdbc.queue-capacity=1",
					"bridge.offload.pools.jdbc.timeout=1s", "bridge.context.propagation=true",
					"bridge.context.mdc=false", "bridge.shutdown.timeout=1s", "bridge.health.lag-down-threshold=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Offloader.class).pool("jdbc").stats().limit()).isOne();
			});
	}

	@Test
	void environmentVariablesOfOtherSoftwareNamedBridgeAreLeftAlone() {
		this.contextRunner
			.withInitializer(
					(context) -> context.getEnvironment()
						.getPropertySources()
						.addFirst(new SystemEnvironmentPropertySource(
								StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("BRIDGE_HOME", "/opt/bridge", "BRIDGE_OFFLOAD_MAXCONCURENCY", "4"))))
			.run((context) -> assertThat(describe(context.getStartupFailure())).doesNotContain("bridge.home")
				.contains("bridge.offload.maxconcurency"));
	}

	@Test
	void theStartupReportNamesTheKeyWhereItCameFromAndTheClosestKnownKey(CapturedOutput output) {
		SpringApplication application = new SpringApplication(TypoApplication.class);
		assertThatException().isThrownBy(() -> application.run("--spring.main.web-application-type=none",
				"--bridge.offload.pools.jdbc.max-concurency=4"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Bridge does not know these properties, so they would be silently ignored:")
			.containsPattern("\tbridge.offload.pools.jdbc.max-concurency \\(from .*commandLineArgs.*\\): "
					+ "did you mean bridge.offload.pools.jdbc.max-concurrency\\?")
			.contains("Correct or remove them.");
	}

	private static String describe(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof UnknownBridgePropertiesException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("the unknown-properties failure").isNotNull();
		return ((UnknownBridgePropertiesException) cause).describe();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(BridgeAutoConfiguration.class)
	static class TypoApplication {

	}

}
