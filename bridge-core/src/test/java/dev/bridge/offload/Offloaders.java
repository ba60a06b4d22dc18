/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The offloaders a test builds, shut down at once after it: a test class registers one
 * with {@code @RegisterExtension} and builds its offloaders through {@link #build}.
 */
final class Offloaders implements AfterEachCallback {

	private final List<Offloader> built = new CopyOnWriteArrayList<>();

	/**
	 * Builds an offloader that is shut down after the test.
	 * @param builder the offloader's settings
	 * @return the offloader
	 */
	Offloader build(Offloader.Builder builder) {
		Offloader offloader = builder.build();
		this.built.add(offloader);
		return offloader;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.built.forEach((offloader) -> offloader.finishShutdown(Duration.ZERO));
		this.built.clear();
	}

}
