/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.orders;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import dev.bridge.sample.GatedQueryDelay;
import dev.bridge.sample.SampleAppTest;
import dev.bridge.sample.report.OrderApiClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.bridge.test.BridgeAssertions.assertThatBridge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link OrderController}: the reactive API over the blocking
 * legacy repository.
 */
@SampleAppTest
class OrderControllerTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private LegacyOrderRepository repository;

	@Autowired
	private Offloader offloader;

	@Autowired
	private GatedQueryDelay database;

	@Autowired
	private OrderApiClient api;

	@Test
	void orderByIdIsReturned() {
		this.client.get()
			.uri("/api/orders/7")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(7)
			.jsonPath("$.customer")
			.isEqualTo("customer-7")
			.jsonPath("$.status")
			.isEqualTo("NEW");
	}

	@Test
	void unknownOrderIsNotFound() {
		this.client.get().uri("/api/orders/999").exchange().expectStatus().isNotFound();
	}

	@Test
	void blockingQueryRunsOnTheJdbcPoolNotOnANettyThread() {
		this.client.get().uri("/api/orders/3").exchange().expectStatus().isOk();

		assertThatBridge().ran("OrderService.findById").onPool("jdbc").offTheCallingThread().times(1);
	}

	@Test
	void listStreamsEveryOrderAsJson() {
		this.client.get()
			.uri("/api/orders")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBodyList(Order.class)
			.value((orders) -> assertThat(orders).hasSize(50)
				.extracting(Order::id)
				.containsExactlyElementsOf(IntStream.rangeClosed(1, 50).asLongStream().boxed().toList()));
		assertThat(this.repository.lastQueryThread()).startsWith("bridge-");
	}

	@Test
	void listStreamsEveryOrderAsNewlineDelimitedJson() {
		List<Order> orders = this.client.get()
			.uri("/api/orders")
			.accept(MediaType.APPLICATION_NDJSON)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(Order.class)
			.getResponseBody()
			.collectList()
			.block();

		assertThat(orders).hasSize(50).first().satisfies((order) -> assertThat(order.id()).isEqualTo(1));
	}

	@Test
	void whenTheJdbcPoolIsFullThenRequestsAreAnswered503AtOnce() throws Exception {
		OffloadStats jdbc = this.offloader.pool("jdbc").stats();
		long rejectedBefore = jdbc.rejected();
		try (GatedQueryDelay.Gate gate = this.database.closeGate()) {
			List<CompletableFuture<Integer>> held = IntStream.range(0, jdbc.limit() + jdbc.queueCapacity())
				.mapToObj((i) -> this.api.orderStatus(1 + i % 50).toFuture())
				.toList();
			gate.awaitArrivals(jdbc.limit());
			await().untilAsserted(
					() -> assertThat(this.offloader.pool("jdbc").stats().queued()).isEqualTo(jdbc.queueCapacity()));

			this.client.get()
				.uri("/api/orders/1")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader()
				.valueEquals("Retry-After", "1")
				.expectBody()
				.jsonPath("$.pool")
				.isEqualTo("jdbc")
				.jsonPath("$.detail")
				.value(String.class, (detail) -> assertThat(detail).contains("'jdbc' pool is full"));

			assertThat(this.offloader.pool("jdbc").stats().rejected()).isEqualTo(rejectedBefore + 1);
			gate.open();
			for (CompletableFuture<Integer> status : held) {
				assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
			}
		}
	}

}
