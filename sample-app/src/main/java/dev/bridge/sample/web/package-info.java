/*
 * Copyright 2026 the Bridge authors.
 */

/**
 * Web concerns shared by all endpoints: how Bridge's overload, timeout and shutdown
 * errors become HTTP answers.
 */
@NullMarked
package dev.bridge.sample.web;

import org.jspecify.annotations.NullMarked;
