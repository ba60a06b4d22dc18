/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.orders;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The reactive order API. Handlers run on Netty event loops and never block: the slow
 * legacy database is reached through {@link OrderService}, on the {@code jdbc} pool.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping("/api/orders")
class OrderController {

	private final OrderService orders;

	OrderController(OrderService orders) {
		this.orders = orders;
	}

	@GetMapping("/{id}")
	Mono<Order> order(@PathVariable long id) {
		return this.orders.findById(id)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id)));
	}

	@GetMapping(produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE })
	Flux<Order> orders() {
		return this.orders.findAll();
	}

}
