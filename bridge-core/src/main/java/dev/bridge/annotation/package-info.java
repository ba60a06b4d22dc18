/**
 * The two annotations that route a method to an offload pool or to the loop.
 */
@NullMarked
package dev.bridge.annotation;

import org.jspecify.annotations.NullMarked;
