/**
 * The aspects that route {@code @OffloadBlocking} and {@code @RunOnLoop} methods, with
 * one handler per family of declared return types.
 */
@NullMarked
package dev.bridge.autoconfigure.aop;

import org.jspecify.annotations.NullMarked;
