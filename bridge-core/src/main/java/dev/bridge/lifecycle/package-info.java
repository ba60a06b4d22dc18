/**
 * Graceful shutdown shared by the loop runner and the offloader: refuse, drain, cancel,
 * report.
 */
@NullMarked
package dev.bridge.lifecycle;

import org.jspecify.annotations.NullMarked;
