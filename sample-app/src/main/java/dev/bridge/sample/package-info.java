/*
 * Copyright 2026 the Bridge authors.
 */

/**
 * The Bridge sample application: a WebFlux server on embedded defaults that calls
 * blocking legacy code through offload pools and reactive clients from synchronous code
 * through the loop, with a live dashboard at {@code /}.
 */
@NullMarked
package dev.bridge.sample;

import org.jspecify.annotations.NullMarked;
