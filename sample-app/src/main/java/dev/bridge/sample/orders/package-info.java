/*
 * Copyright 2026 the Bridge authors.
 */

/**
 * Blocking to reactive: a legacy, blocking JDBC repository offloaded to the {@code jdbc}
 * pool with {@code @OffloadBlocking}, behind reactive endpoints.
 */
@NullMarked
package dev.bridge.sample.orders;

import org.jspecify.annotations.NullMarked;
