/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;

import dev.bridge.sample.SampleProperties;
import dev.bridge.sample.report.OrderApiClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The dashboard's buttons: a burst of concurrent order requests that saturates the
 * {@code jdbc} pool, a deliberate stall of the loop, and a hung JDBC call.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping("/api/demo")
class DemoController {

	/** Orders seeded by {@code data.sql}; burst requests cycle through them. */
	private static final int SEEDED_ORDERS = 50;

	private static final int MAX_BURST = 1000;

	private static final Duration MAX_STALL = Duration.ofSeconds(10);

	private final OrderApiClient api;

	private final LoopStaller staller;

	private final SampleProperties properties;

	private final HungJdbcCall hungCall;

	DemoController(OrderApiClient api, LoopStaller staller, SampleProperties properties, HungJdbcCall hungCall) {
		this.api = api;
		this.staller = staller;
		this.properties = properties;
		this.hungCall = hungCall;
	}

	@PostMapping("/hang")
	Mono<HungJdbcCall.HangResult> hang(@RequestParam(required = false) Long millis) {
		Duration duration = (millis != null) ? Duration.ofMillis(millis) : Duration.ofSeconds(3);
		if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_STALL) > 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"millis must be between 1 and " + MAX_STALL.toMillis() + " but was " + duration.toMillis());
		}
		return this.hungCall.hang(duration);
	}

	@PostMapping("/burst")
	Mono<BurstResult> burst(@RequestParam(required = false) Integer count) {
		int requests = (count != null) ? count : this.properties.getDemo().getBurstSize();
		if (requests <= 0 || requests > MAX_BURST) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"count must be between 1 and " + MAX_BURST + " but was " + requests);
		}
		long start = System.nanoTime();
		return Flux.range(0, requests)
			.flatMap((i) -> this.api.orderStatus(1 + i % SEEDED_ORDERS).onErrorReturn(-1), requests)
			.collectList()
			.map((statuses) -> BurstResult.of(statuses, Duration.ofNanos(System.nanoTime() - start)));
	}

	@PostMapping("/stall")
	Mono<LoopStaller.StallResult> stall(@RequestParam(required = false) Long millis) {
		Duration duration = (millis != null) ? Duration.ofMillis(millis) : this.properties.getDemo().getStall();
		if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_STALL) > 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"millis must be between 1 and " + MAX_STALL.toMillis() + " but was " + duration.toMillis());
		}
		return this.staller.stallLoop(duration);
	}

}
