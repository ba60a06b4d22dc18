/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.report;

import dev.bridge.loop.LoopRunner;
import dev.bridge.sample.SampleAppTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.bridge.test.BridgeAssertions.assertThatBridge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link OrderReportJob}: synchronous code reading a reactive
 * client through the loop.
 */
@SampleAppTest
class OrderReportJobTests {

	@Autowired
	private OrderReportJob job;

	@Autowired
	private LoopRunner loop;

	@Autowired
	private WebTestClient client;

	@Test
	void reportIsComputedOnTheCallingThreadFromAReactiveClientRunOnTheLoop() {
		String loopThread = this.loop.stats().name();

		OrderReport report = this.job.run();

		assertThat(report.orders()).isEqualTo(50);
		assertThat(report.total()).isEqualByComparingTo("2790.00");
		assertThat(report.byStatus()).containsEntry("NEW", 17L)
			.containsEntry("PAID", 17L)
			.containsEntry("SHIPPED", 16L);
		assertThat(report.computedOn()).isEqualTo(Thread.currentThread().getName());
		assertThat(report.fetchedOn()).isEqualTo(loopThread);
		assertThat(report.publishedOn()).isEqualTo(loopThread);
		assertThatBridge().ran("OrderApiClient.orders").onLoop().times(1);
		assertThatBridge().ran("ReportBoard.publish").onLoop().times(1);
		// the job's request made the server read the whole table on the jdbc pool
		assertThatBridge().ran("flux(Callable)").onPool("jdbc");
		assertThatBridge().didNotRun("OrderService.findById");
	}

	@Test
	void publishedReportsAreServedFromTheLoopConfinedBoard() {
		this.job.run();

		this.client.get()
			.uri("/api/reports")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].orders")
			.isEqualTo(50)
			.jsonPath("$[0].computedOn")
			.isEqualTo(Thread.currentThread().getName())
			.jsonPath("$[0].publishedOn")
			.isEqualTo(this.loop.stats().name());
	}

}
