/**
 * The HTTP end-to-end scenario: one small endpoint that calls a 20 ms blocking operation,
 * served four ways by two applications (WebFlux on Netty, and Spring MVC on Tomcat), for
 * {@code wrk} to load.
 */
@NullMarked
package dev.bridge.benchmarks.http;

import org.jspecify.annotations.NullMarked;
