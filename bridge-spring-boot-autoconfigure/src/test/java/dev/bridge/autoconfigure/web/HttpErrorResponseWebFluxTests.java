/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link HttpErrorResponseContract} on WebFlux with Netty.
 */
@SpringBootTest(classes = HttpErrorApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "bridge.offload.pools.tiny.max-concurrency=1", "bridge.offload.pools.tiny.queue-capacity=0" })
class HttpErrorResponseWebFluxTests extends HttpErrorResponseContract {

}
