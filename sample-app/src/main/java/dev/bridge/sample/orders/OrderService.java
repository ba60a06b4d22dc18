/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.orders;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.offload.Offloader;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * The reactive face of the {@link LegacyOrderRepository}: each method hands the blocking
 * call to the {@code jdbc} offload pool (a bulkhead of a few threads in front of the slow
 * database), so Netty's event loops never wait for JDBC.
 * <p>
 * Two ways to do it are shown: {@link OffloadBlocking} on a method returning {@code Mono}
 * (the method body itself runs on the pool, at subscribe time), and
 * {@link Offloader#flux(java.util.concurrent.Callable)} for a blocking cursor drained
 * with backpressure. When the pool and its queue are full, the returned publishers fail
 * at once with an {@link dev.bridge.offload.OffloadRejectedException}. Like any Spring
 * proxy, the annotation applies to calls from other beans, not to calls from this class
 * to itself.
 *
 * @since 0.1.0
 */
@Service
public class OrderService {

	static final String POOL = "jdbc";

	private final LegacyOrderRepository repository;

	private final Offloader jdbcPool;

	OrderService(LegacyOrderRepository repository, Offloader offloader) {
		this.repository = repository;
		this.jdbcPool = offloader.pool(POOL);
	}

	/**
	 * Finds one order on the {@code jdbc} pool.
	 * @param id the order number
	 * @return the order, or empty when there is none with that number
	 */
	@OffloadBlocking(pool = POOL)
	public Mono<Order> findById(long id) {
		return Mono.justOrEmpty(this.repository.findById(id));
	}

	/**
	 * Streams all orders from a database cursor read on the {@code jdbc} pool, one row
	 * per request from downstream; the cursor is closed when the stream ends or is
	 * cancelled.
	 * @return the orders, by number
	 */
	public Flux<Order> findAll() {
		return this.jdbcPool.flux(this.repository::streamAll);
	}

}
