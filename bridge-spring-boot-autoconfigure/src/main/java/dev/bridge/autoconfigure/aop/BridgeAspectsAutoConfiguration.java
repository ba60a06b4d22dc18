/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the aspects that route {@link OffloadBlocking @OffloadBlocking}
 * and {@link RunOnLoop @RunOnLoop} methods, and of the startup check that refuses methods
 * they cannot route. The aspects need AspectJ ({@code spring-boot-starter-aspectj}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { BridgeAutoConfiguration.class, AopAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "bridge.enabled", matchIfMissing = true)
@Import({ BridgeAspectsConfigurations.ValidatorConfiguration.class,
		BridgeAspectsConfigurations.AspectsConfiguration.class })
public final class BridgeAspectsAutoConfiguration {

}
