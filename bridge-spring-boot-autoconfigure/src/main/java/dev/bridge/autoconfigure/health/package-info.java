/**
 * The {@code bridge} health indicator: loop liveness and lag, and the state of each
 * offload pool.
 */
@NullMarked
package dev.bridge.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
