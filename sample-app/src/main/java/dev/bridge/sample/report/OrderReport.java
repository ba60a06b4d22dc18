/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A summary of all orders, computed by the synchronous {@link OrderReportJob} from a
 * reactive source. Immutable.
 *
 * @param orders how many orders there are
 * @param total the sum of their amounts
 * @param byStatus how many orders have each status
 * @param computedOn the thread that ran the job and iterated the orders (a plain,
 * blocking thread)
 * @param fetchedOn the thread the reactive client was subscribed on (the loop)
 * @param publishedOn the thread that stored the report on the board (the loop), or an
 * empty string before it was published
 * @param finishedAt when the report was computed
 * @param tookMillis how long computing it took
 * @since 0.1.0
 */
public record OrderReport(long orders, BigDecimal total, Map<String, Long> byStatus, String computedOn,
		String fetchedOn, String publishedOn, Instant finishedAt, long tookMillis) {

	/**
	 * Creates a report, copying the map.
	 */
	public OrderReport {
		byStatus = Map.copyOf(byStatus);
	}

	OrderReport publishedOn(String thread) {
		return new OrderReport(this.orders, this.total, this.byStatus, this.computedOn, this.fetchedOn, thread,
				this.finishedAt, this.tookMillis);
	}

}
