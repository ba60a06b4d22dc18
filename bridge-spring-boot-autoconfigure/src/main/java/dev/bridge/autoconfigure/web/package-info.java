/*
 * Copyright 2026 the Bridge authors.
 */
/**
 * HTTP answers for Bridge's errors in Spring MVC and WebFlux applications: a full pool or
 * a shutdown is {@code 503 Service Unavailable}, a timeout {@code 504 Gateway Timeout},
 * each with an RFC 9457 problem body.
 */
@NullMarked
package dev.bridge.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
