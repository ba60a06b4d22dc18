/**
 * Micrometer meters over the loop's and the offload pools' statistics.
 */
@NullMarked
package dev.bridge.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
