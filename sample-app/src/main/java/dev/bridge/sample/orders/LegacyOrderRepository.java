/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.orders;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The "legacy" code of the story: a plain blocking JDBC repository that knows nothing
 * about Reactor or Bridge, over a database made slow by a {@link QueryDelay}. It
 * remembers the name of the thread each query ran on, so the dashboard and the tests can
 * show that it never runs on a Netty event loop.
 * <p>
 * Thread-safe; every method blocks the calling thread for the query and its delay.
 *
 * @since 0.1.0
 */
@Repository
public class LegacyOrderRepository {

	private static final RowMapper<Order> ORDER = (rs, row) -> new Order(rs.getLong("id"), rs.getString("customer"),
			rs.getString("product"), rs.getBigDecimal("amount"), rs.getString("status"));

	private final JdbcTemplate jdbc;

	private final QueryDelay delay;

	private volatile @Nullable String lastQueryThread;

	LegacyOrderRepository(JdbcTemplate jdbc, QueryDelay delay) {
		this.jdbc = jdbc;
		this.delay = delay;
	}

	/**
	 * Finds one order, blocking.
	 * @param id the order number
	 * @return the order, or empty when there is none with that number
	 * @throws CancellationException when cancelled while the database is slow
	 */
	public Optional<Order> findById(long id) {
		beforeQuery();
		List<Order> orders = this.jdbc.query("SELECT * FROM orders WHERE id = ?", ORDER, id);
		return orders.stream().findFirst();
	}

	/**
	 * Opens a cursor over all orders by number, blocking; the caller must close the
	 * stream.
	 * @return the orders, read row by row as the stream is consumed
	 * @throws CancellationException when cancelled while the database is slow
	 */
	public Stream<Order> streamAll() {
		beforeQuery();
		return this.jdbc.queryForStream("SELECT * FROM orders ORDER BY id", ORDER);
	}

	/**
	 * The name of the thread the latest query ran on.
	 * @return the thread name, or {@code null} before the first query
	 */
	public @Nullable String lastQueryThread() {
		return this.lastQueryThread;
	}

	private void beforeQuery() {
		this.lastQueryThread = Thread.currentThread().getName();
		try {
			this.delay.beforeQuery();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CancellationException("query cancelled while the database was slow");
		}
	}

}
