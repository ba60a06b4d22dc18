/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import dev.bridge.loop.LoopRunner;

/**
 * Changes the {@link LoopRunner.Builder} the auto-configuration builds
 * {@code bridgeLoopRunner} with, after the {@code bridge.loop} properties are applied.
 * Beans of this type are applied in their {@code @Order}. The {@code bridge-test} module
 * uses one to time synchronous waits on a virtual clock.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LoopRunnerCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder of {@code bridgeLoopRunner}
	 */
	void customize(LoopRunner.Builder builder);

}
