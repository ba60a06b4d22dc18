/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.report;

import dev.bridge.annotation.RunOnLoop;
import dev.bridge.loop.LoopRunner;
import dev.bridge.sample.orders.Order;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A reactive {@link WebClient} for the application's own order API, standing in for any
 * reactive client library (the asyncio world's aiohttp).
 * <p>
 * Its connection pool is a loop-bound resource: opened on the loop with
 * {@link LoopRunner#manage} when this bean is created, and disposed on the loop when the
 * runner shuts down, after the work in flight has drained (asyncio's
 * {@code ExitStack.enter_async_context}). Thread-safe.
 *
 * @since 0.1.0
 */
@Component
public class OrderApiClient {

	private static final int MAX_CONNECTIONS = 128;

	private final LoopRunner loop;

	private final WebClient webClient;

	private final Environment environment;

	private volatile @Nullable String lastSubscribeThread;

	OrderApiClient(LoopRunner loop, Environment environment, ObjectProvider<CodecCustomizer> codecCustomizers) {
		ConnectionProvider connections = loop.manage(Mono.fromSupplier(() -> ConnectionProvider.builder("sample-api")
			.maxConnections(MAX_CONNECTIONS)
			.pendingAcquireMaxCount(8 * MAX_CONNECTIONS)
			.build()), ConnectionProvider::disposeLater);
		this.webClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
			.codecs((codecs) -> codecCustomizers.orderedStream().forEach((customizer) -> customizer.customize(codecs)))
			.build();
		this.loop = loop;
		this.environment = environment;
	}

	/**
	 * Streams every order from {@code GET /api/orders} as newline-delimited JSON.
	 * Subscribed on the loop ({@link RunOnLoop}); items are delivered on the loop.
	 * @return the orders
	 */
	@RunOnLoop
	public Flux<Order> orders() {
		this.lastSubscribeThread = Thread.currentThread().getName();
		return this.webClient.get()
			.uri(baseUrl() + "/api/orders")
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(Order.class)
			.publishOn(this.loop.scheduler());
	}

	/**
	 * Requests one order and reports only the HTTP status, for load demos.
	 * @param id the order number
	 * @return the response's status code
	 */
	public Mono<Integer> orderStatus(long id) {
		return this.webClient.get()
			.uri(baseUrl() + "/api/orders/{id}", id)
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()));
	}

	/**
	 * The thread the latest {@link #orders()} call was subscribed on.
	 * @return the thread name, or {@code null} before the first call
	 */
	public @Nullable String lastSubscribeThread() {
		return this.lastSubscribeThread;
	}

	private String baseUrl() {
		return "http://localhost:" + this.environment.getRequiredProperty("local.server.port");
	}

}
