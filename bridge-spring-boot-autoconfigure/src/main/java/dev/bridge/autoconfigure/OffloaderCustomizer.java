/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import dev.bridge.offload.Offloader;

/**
 * Changes the {@link Offloader.Builder} the auto-configuration builds
 * {@code bridgeOffloader} with, after the {@code bridge.offload} properties are applied.
 * Beans of this type are applied in their {@code @Order}. The {@code bridge-test} module
 * uses one to time call timeouts on a virtual clock.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface OffloaderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder of {@code bridgeOffloader}
	 */
	void customize(Offloader.Builder builder);

}
