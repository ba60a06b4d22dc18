/**
 * What the loop runner's and the offloader's graceful shutdowns tell their callers: the
 * report of what was drained and cancelled, and the exceptions of work refused or
 * cancelled by the shutdown.
 */
@NullMarked
package dev.bridge.lifecycle;

import org.jspecify.annotations.NullMarked;
