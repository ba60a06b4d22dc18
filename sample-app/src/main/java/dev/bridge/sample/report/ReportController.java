/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.report;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the reports the synchronous job published, read from the loop-confined board.
 *
 * @since 0.1.0
 */
@RestController
class ReportController {

	private final ReportBoard board;

	ReportController(ReportBoard board) {
		this.board = board;
	}

	@GetMapping("/api/reports")
	Mono<List<OrderReport>> reports() {
		return this.board.recent();
	}

}
