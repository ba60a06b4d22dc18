/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BridgeWebAutoConfiguration}'s conditions.
 */
class BridgeWebAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(BridgeAutoConfiguration.class,
			BridgeWebAutoConfiguration.class);

	@Test
	void reactiveApplicationsGetTheErrorResponses() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run((context) -> assertThat(context).hasSingleBean(BridgeErrorResponses.class));
	}

	@Test
	@Tag("servlet")
	void servletApplicationsGetTheErrorResponses() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run((context) -> assertThat(context).hasSingleBean(BridgeErrorResponses.class));
	}

	@Test
	void applicationsWithoutAWebServerDoNot() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run((context) -> assertThat(context).doesNotHaveBean(BridgeErrorResponses.class));
	}

	@Test
	void bridgeDisabledMeansNoErrorResponses() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("bridge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BridgeErrorResponses.class));
	}

}
