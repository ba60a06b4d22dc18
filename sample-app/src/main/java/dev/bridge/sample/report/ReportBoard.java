/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import dev.bridge.annotation.RunOnLoop;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The latest reports, kept in loop-confined state: every method runs on the loop
 * ({@link RunOnLoop}), which runs one task at a time, so the plain {@link ArrayDeque}
 * below needs no lock (asyncio's "single-threaded by construction").
 *
 * @since 0.1.0
 */
@Component
@RunOnLoop
public class ReportBoard {

	private static final int CAPACITY = 10;

	private final Deque<OrderReport> reports = new ArrayDeque<>();

	/**
	 * Stores a report, newest first. A synchronous caller waits while this runs on the
	 * loop.
	 * @param report the report
	 * @return the report as stored, stamped with the loop thread's name
	 */
	public OrderReport publish(OrderReport report) {
		OrderReport published = report.publishedOn(Thread.currentThread().getName());
		this.reports.addFirst(published);
		if (this.reports.size() > CAPACITY) {
			this.reports.removeLast();
		}
		return published;
	}

	/**
	 * The stored reports, newest first, read on the loop when subscribed.
	 * @return a copy of the stored reports
	 */
	public Mono<List<OrderReport>> recent() {
		return Mono.just(List.copyOf(this.reports));
	}

}
