/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

class BridgeReactiveSecurityAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BridgeReactiveSecurityAutoConfiguration.class));

	@Test
	void registersTheFilterInAReactiveWebApplication() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("bridgeSecurityContextWebFilter"));
	}

	@Test
	void backsOffWhenContextPropagationOrBridgeIsDisabled() {
		this.contextRunner.withPropertyValues("bridge.context.propagation=false")
			.run((context) -> assertThat(context).doesNotHaveBean("bridgeSecurityContextWebFilter"));
		this.contextRunner.withPropertyValues("bridge.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("bridgeSecurityContextWebFilter"));
	}

	@Test
	void backsOffOutsideAReactiveWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BridgeReactiveSecurityAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("bridgeSecurityContextWebFilter"));
	}

	@Test
	void backsOffForTheUsersOwnFilterOfThatName() {
		WebFilter own = (exchange, chain) -> Mono.empty();
		this.contextRunner.withBean("bridgeSecurityContextWebFilter", WebFilter.class, () -> own)
			.run((context) -> assertThat(context.getBean("bridgeSecurityContextWebFilter")).isSameAs(own));
	}

}
