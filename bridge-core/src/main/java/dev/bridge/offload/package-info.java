/**
 * The offloader: bounded, context-propagating pools that run blocking code for reactive
 * and asynchronous callers.
 */
@NullMarked
package dev.bridge.offload;

import org.jspecify.annotations.NullMarked;
