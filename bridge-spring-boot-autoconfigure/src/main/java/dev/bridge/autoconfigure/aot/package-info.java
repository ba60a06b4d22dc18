/*
 * Copyright 2026 the Bridge authors.
 */
/**
 * Ahead-of-time processing: the runtime hints for what Bridge reflects on, so that an
 * application processed by Spring AOT, and a native image built from it, keeps routing.
 */
@NullMarked
package dev.bridge.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
