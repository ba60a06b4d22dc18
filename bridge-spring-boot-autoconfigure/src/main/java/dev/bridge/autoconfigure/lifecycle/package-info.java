/**
 * Graceful shutdown of the loop and the offload pools as one phase of the application
 * context's lifecycle.
 */
@NullMarked
package dev.bridge.autoconfigure.lifecycle;

import org.jspecify.annotations.NullMarked;
