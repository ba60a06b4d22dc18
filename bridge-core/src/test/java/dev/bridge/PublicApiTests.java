/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStallEvent;
import dev.bridge.offload.OffloadStallEvent;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public surface of {@code bridge-core}, read from its compiled classes: a public
 * top-level type added without being named here (and in the public-types table of
 * {@code docs/configuration.md}) fails the build, so the surface cannot grow by accident.
 */
class PublicApiTests {

	/** Every public top-level type of bridge-core; nested types ride with their owner. */
	private static final List<String> PUBLIC_TYPES = List.of(
	// @formatter:off
			"dev.bridge.annotation.OffloadBlocking",
			"dev.bridge.annotation.RunOnLoop",
			"dev.bridge.context.ContextCapture",
			"dev.bridge.lifecycle.CancelledByShutdownException",
			"dev.bridge.lifecycle.ShutdownReport",
			"dev.bridge.lifecycle.ShuttingDownException",
			"dev.bridge.loop.LoopDeadlockException",
			"dev.bridge.loop.LoopRunner",
			"dev.bridge.loop.LoopStallEvent",
			"dev.bridge.loop.LoopStats",
			"dev.bridge.loop.LoopTimeoutException",
			"dev.bridge.offload.OffloadRejectedException",
			"dev.bridge.offload.OffloadStallEvent",
			"dev.bridge.offload.OffloadStats",
			"dev.bridge.offload.OffloadTimeoutException",
			"dev.bridge.offload.Offloader");
	// @formatter:on

	@Test
	void publicTopLevelTypesAreExactlyTheNamedOnes() throws Exception {
		assertThat(publicTopLevelTypes()).containsExactlyInAnyOrderElementsOf(PUBLIC_TYPES);
	}

	@Test
	void packagePrivateClassesAreFinal() throws Exception {
		List<Class<?>> open = topLevelTypes().filter((type) -> !Modifier.isPublic(type.getModifiers()))
			.filter((type) -> !type.isInterface() && !type.isEnum() && !type.isRecord())
			.filter((type) -> !Modifier.isFinal(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers()))
			.toList();
		assertThat(open).isEmpty();
	}

	private static List<String> publicTopLevelTypes() throws Exception {
		return topLevelTypes().filter((type) -> Modifier.isPublic(type.getModifiers())).map(Class::getName).toList();
	}

	private static Stream<Class<?>> topLevelTypes() throws IOException, URISyntaxException {
		Path classes = Path.of(LoopRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		try (Stream<Path> files = Files.walk(classes)) {
			List<String> names = files.map((file) -> classes.relativize(file).toString())
				.filter((name) -> name.endsWith(".class") && !name.contains("$")
						&& !name.endsWith("package-info.class"))
				.map((name) -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
				.sorted()
				.toList();
			return names.stream().map(PublicApiTests::load);
		}
	}

	private static Class<?> load(String name) {
		try {
			return Class.forName(name, false, PublicApiTests.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
