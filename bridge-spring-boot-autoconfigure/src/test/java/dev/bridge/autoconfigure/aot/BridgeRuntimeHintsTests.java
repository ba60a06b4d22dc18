/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aot;

import java.util.concurrent.Executors;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, item 11: the hints for what Bridge reflects on, registered through
 * {@code META-INF/spring/aot.factories}.
 */
class BridgeRuntimeHintsTests {

	@Test
	void theVirtualThreadLookupAndTheAnnotationsAreRegistered() {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(org.springframework.aot.hint.RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		assertThat(methods(hints, TypeReference.of(Thread.class))).contains("ofVirtual");
		assertThat(methods(hints, TypeReference.of("java.lang.Thread$Builder"))).contains("name", "factory",
				"inheritInheritableThreadLocals");
		assertThat(methods(hints, TypeReference.of(Executors.class))).contains("newThreadPerTaskExecutor");
		assertThat(RuntimeHintsPredicates.reflection().onType(OffloadBlocking.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(RunOnLoop.class)).accepts(hints);
	}

	private static java.util.List<String> methods(RuntimeHints hints, TypeReference type) {
		TypeHint hint = hints.reflection().getTypeHint(type);
		assertThat(hint).as("hint for %s", type).isNotNull();
		return hint.methods().map((method) -> method.getName()).toList();
	}

}
