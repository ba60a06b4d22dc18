/*
 * Copyright 2026 the Bridge authors.
 */

/**
 * Test support for applications that use Bridge: wait until all Bridge work has finished
 * ({@link dev.bridge.test.BridgeRecorder#awaitQuiescence()}), assert where annotated
 * calls ran ({@link dev.bridge.test.BridgeAssertions#assertThatBridge()}), and turn both
 * on in a Spring Boot test with {@link dev.bridge.test.AutoConfigureBridgeTest}.
 */
@NullMarked
package dev.bridge.test;

import org.jspecify.annotations.NullMarked;
