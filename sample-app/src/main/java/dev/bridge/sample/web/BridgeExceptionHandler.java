/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.web;

import dev.bridge.lifecycle.ShuttingDownException;
import dev.bridge.offload.OffloadRejectedException;
import dev.bridge.offload.OffloadTimeoutException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns Bridge's load-shedding errors into the HTTP answers a client can act on, instead
 * of a 500: a full pool or a shutdown is {@code 503 Service Unavailable} with
 * {@code Retry-After}, an offloaded call past its timeout is {@code 504 Gateway Timeout}.
 * Bodies are RFC 9457 problem details.
 *
 * @since 0.1.0
 */
@RestControllerAdvice
class BridgeExceptionHandler {

	@ExceptionHandler
	ResponseEntity<ProblemDetail> poolFull(OffloadRejectedException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "The '" + ex.getPool()
				+ "' pool is full: all of its threads are busy and its queue is full, so this request was turned away "
				+ "at once instead of waiting. Try again in a moment.");
		problem.setTitle("Too busy");
		problem.setProperty("pool", ex.getPool());
		problem.setProperty("cause", ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> shuttingDown(ShuttingDownException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The application is shutting down and takes no new work.");
		problem.setTitle("Shutting down");
		problem.setProperty("cause", ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> timedOut(OffloadTimeoutException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT,
				"The legacy system did not answer in time; the call was cancelled.");
		problem.setTitle("Timed out");
		problem.setProperty("cause", ex.getMessage());
		return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(problem);
	}

}
