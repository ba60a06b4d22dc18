/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aot;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The runtime hints for what Bridge reflects on whatever the application: the JDK's
 * virtual-thread API, which bridge-core finds at run time so that one jar built for Java
 * 17 uses virtual threads on Java 21 and later, and the attributes of the two
 * annotations. The annotated methods of the application's beans are registered by a bean
 * registration AOT processor of the {@code aop} package, Bridge's properties by Boot's
 * own processing of {@code @ConfigurationProperties}.
 */
final class BridgeRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(Thread.class, (type) -> type.withMethod("ofVirtual", List.of(), ExecutableMode.INVOKE));
		hints.reflection()
			.registerType(TypeReference.of("java.lang.Thread$Builder"),
					(type) -> type
						.withMethod("name", List.of(TypeReference.of(String.class), TypeReference.of(long.class)),
								ExecutableMode.INVOKE)
						.withMethod("inheritInheritableThreadLocals", List.of(TypeReference.of(boolean.class)),
								ExecutableMode.INVOKE)
						.withMethod("factory", List.of(), ExecutableMode.INVOKE));
		hints.reflection()
			.registerType(TypeReference.of("java.lang.Thread$Builder$OfVirtual"), MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.reflection()
			.registerType(Executors.class, (type) -> type.withMethod("newThreadPerTaskExecutor",
					List.of(TypeReference.of(ThreadFactory.class)), ExecutableMode.INVOKE));
		hints.reflection().registerType(OffloadBlocking.class, MemberCategory.INVOKE_DECLARED_METHODS);
		hints.reflection().registerType(RunOnLoop.class, MemberCategory.INVOKE_DECLARED_METHODS);
	}

}
