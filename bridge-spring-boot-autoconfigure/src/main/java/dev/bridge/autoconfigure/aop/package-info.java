/**
 * The advisors that route {@code @OffloadBlocking} and {@code @RunOnLoop} methods, found
 * by one rule ({@code RouteAnnotations}) shared by their pointcuts, the route cache and
 * the startup check, with one handler per family of declared return types.
 */
@NullMarked
package dev.bridge.autoconfigure.aop;

import org.jspecify.annotations.NullMarked;
