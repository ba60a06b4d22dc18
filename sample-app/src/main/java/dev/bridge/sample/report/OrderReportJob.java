/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.bridge.loop.LoopRunner;
import dev.bridge.sample.orders.Order;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A plain synchronous job, the kind of code that cannot become reactive (a scheduled
 * report, a batch step, a desktop UI handler), that needs data only a reactive client
 * provides. It iterates the client's {@code Flux} as an ordinary {@link Stream} with
 * {@link LoopRunner#stream}: the client runs on the loop, items are handed over with
 * bounded prefetch, and closing the stream cancels the request. No {@code block()}
 * anywhere.
 *
 * @since 0.1.0
 */
@Component
public class OrderReportJob {

	private static final Logger logger = LoggerFactory.getLogger(OrderReportJob.class);

	private final LoopRunner loop;

	private final OrderApiClient api;

	private final ReportBoard board;

	OrderReportJob(LoopRunner loop, OrderApiClient api, ReportBoard board) {
		this.loop = loop;
		this.api = api;
		this.board = board;
	}

	/**
	 * Computes a report now, on the calling thread, and publishes it to the board.
	 * @return the published report
	 */
	public OrderReport run() {
		long start = System.nanoTime();
		long count = 0;
		BigDecimal total = BigDecimal.ZERO;
		Map<String, Long> byStatus = new TreeMap<>();
		try (Stream<Order> orders = this.loop.stream(this.api.orders())) {
			for (Order order : (Iterable<Order>) orders::iterator) {
				count++;
				total = total.add(order.amount());
				byStatus.merge(order.status(), 1L, Long::sum);
			}
		}
		String fetchedOn = this.api.lastSubscribeThread();
		OrderReport report = new OrderReport(count, total, byStatus, Thread.currentThread().getName(),
				(fetchedOn != null) ? fetchedOn : "", "", Instant.now(),
				Duration.ofNanos(System.nanoTime() - start).toMillis());
		return this.board.publish(report);
	}

	@Scheduled(initialDelayString = "${sample.report.initial-delay:5s}",
			fixedDelayString = "${sample.report.interval:15s}")
	void scheduledRun() {
		try {
			OrderReport report = run();
			logger.info("Order report: {} orders, total {}, computed on {}, fetched on {}", report.orders(),
					report.total(), report.computedOn(), report.fetchedOn());
		}
		catch (RuntimeException ex) {
			logger.warn("Order report failed: {}", ex.toString());
		}
	}

}
