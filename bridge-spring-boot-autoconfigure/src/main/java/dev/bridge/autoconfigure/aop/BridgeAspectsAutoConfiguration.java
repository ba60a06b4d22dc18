/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import dev.bridge.autoconfigure.ConditionalOnBridgeEnabled;
import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the advisors that route {@link OffloadBlocking @OffloadBlocking}
 * and {@link RunOnLoop @RunOnLoop} methods (found where Spring finds {@code @Async}:
 * interfaces, superclasses, composed annotations, {@code ${...}} placeholders in their
 * attributes), and of the startup check that refuses methods they cannot route. They are
 * enabled with AspectJ on the class path ({@code spring-boot-starter-aspectj}), which
 * also provides the auto-proxy creator that applies them.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { BridgeAutoConfiguration.class, AopAutoConfiguration.class })
@ConditionalOnBridgeEnabled
@Import({ BridgeAspectsConfigurations.ValidatorConfiguration.class,
		BridgeAspectsConfigurations.AspectsConfiguration.class })
public final class BridgeAspectsAutoConfiguration {

}
