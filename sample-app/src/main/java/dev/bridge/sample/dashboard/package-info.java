/*
 * Copyright 2026 the Bridge authors.
 */

/**
 * The live dashboard's server side: a server-sent-events stream of loop, pool and health
 * samples, and the two demo actions (a burst of blocking requests, a deliberate loop
 * stall).
 */
@NullMarked
package dev.bridge.sample.dashboard;

import org.jspecify.annotations.NullMarked;
