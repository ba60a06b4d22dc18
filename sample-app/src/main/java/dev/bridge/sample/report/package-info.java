/*
 * Copyright 2026 the Bridge authors.
 */

/**
 * Reactive to synchronous: a scheduled, blocking report job that reads a reactive
 * {@code WebClient} through the loop with {@code LoopRunner.stream(..)} and
 * {@code @RunOnLoop}, over a connection pool the loop opens with {@code manage(..)} and
 * closes at shutdown.
 */
@NullMarked
package dev.bridge.sample.report;

import org.jspecify.annotations.NullMarked;
