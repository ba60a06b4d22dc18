/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;

import dev.bridge.autoconfigure.LogSafe;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShuttingDownException;
import dev.bridge.loop.LoopTimeoutException;
import dev.bridge.offload.OffloadRejectedException;
import dev.bridge.offload.OffloadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers Bridge's load-shedding errors the way a client can act on, in Spring MVC and
 * WebFlux alike (annotated controllers): a full pool is {@code 503} with
 * {@code Retry-After: 1}, a shutdown {@code 503}, a timeout {@code 504}; each body is a
 * {@link ProblemDetail} naming the pool where there is one, never Bridge's configuration
 * advice (which is for operators and goes to the log). Each kind of error is logged at
 * WARN without a stack, at most once per {@link #LOG_INTERVAL} per pool (or loop) with
 * the count since the last line, so a burst of rejections does not flood the log; the
 * meters ({@code bridge.offload.rejected}) count every one.
 * <p>
 * Ordered last: an application's own {@code @ExceptionHandler} for these exceptions, in a
 * controller or in an advice of its own, is asked first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
final class BridgeErrorResponses {

	/** The least time between two log lines about the same pool and kind of error. */
	static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	/** What a client is told to wait before it tries a full pool again. */
	static final String RETRY_AFTER_SECONDS = "1";

	private static final Log logger = LogFactory.getLog(BridgeErrorResponses.class);

	private final LogRateLimit rateLimit = new LogRateLimit(LOG_INTERVAL);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> poolFull(OffloadRejectedException ex) {
		log("rejected by a full offload pool '" + ex.getPool() + "'", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The server is too busy to take this request now: its '" + ex.getPool()
						+ "' pool is full. Try again later.");
		problem.setTitle("Too busy");
		problem.setProperty("pool", ex.getPool());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(problem);
	}

	@ExceptionHandler({ ShuttingDownException.class, CancelledByShutdownException.class })
	ResponseEntity<ProblemDetail> shuttingDown(RuntimeException ex) {
		log("refused or cancelled because Bridge is shutting down", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The server is shutting down and takes no new work. Try another instance.");
		problem.setTitle("Shutting down");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> offloadTimedOut(OffloadTimeoutException ex) {
		log("cut off by an offload timeout", ex);
		return timedOut();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> loopTimedOut(LoopTimeoutException ex) {
		log("cut off by a loop call timeout", ex);
		return timedOut();
	}

	private static ResponseEntity<ProblemDetail> timedOut() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT,
				"The server did not get the answer it needed in time; the work was cancelled.");
		problem.setTitle("Timed out");
		return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(problem);
	}

	/**
	 * Logs one WARN line for the first error of a kind, then at most one per
	 * {@link #LOG_INTERVAL} with how many came meanwhile.
	 */
	private void log(String what, RuntimeException ex) {
		if (!logger.isWarnEnabled()) {
			return;
		}
		long suppressed = this.rateLimit.admit(what);
		if (suppressed >= 0) {
			String more = (suppressed > 0) ? " (and " + suppressed + " more since the last such line)" : "";
			logger.warn("HTTP request " + what + more + ": " + LogSafe.text(ex.getMessage()));
		}
	}

}
