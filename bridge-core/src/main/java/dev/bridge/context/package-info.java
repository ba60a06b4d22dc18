/**
 * Capture of the caller's context (Micrometer {@code ContextRegistry} entries, MDC) and
 * its restoration around work on another thread, plus names that describe that work.
 */
@NullMarked
package dev.bridge.context;

import org.jspecify.annotations.NullMarked;
