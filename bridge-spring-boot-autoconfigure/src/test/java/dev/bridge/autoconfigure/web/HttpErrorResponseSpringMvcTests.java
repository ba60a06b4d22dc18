/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import org.junit.jupiter.api.Tag;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link HttpErrorResponseContract} on Spring MVC with Tomcat. Tagged {@code servlet}: it
 * runs in a JVM of its own whose class path has Tomcat (see this module's pom).
 */
@Tag("servlet")
@SpringBootTest(classes = HttpErrorApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet", "bridge.offload.pools.tiny.max-concurrency=1",
				"bridge.offload.pools.tiny.queue-capacity=0" })
class HttpErrorResponseSpringMvcTests extends HttpErrorResponseContract {

}
