/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;

import dev.bridge.sample.SampleProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams {@link DashboardSample}s to the dashboard page as server-sent events.
 * <p>
 * Samples are taken on Reactor's parallel scheduler, never on the bridge loop, so the
 * dashboard keeps updating while the loop is stalled, which is when it matters. Streams
 * complete when the application context starts closing, so an open browser tab does not
 * hold up graceful shutdown.
 *
 * @since 0.1.0
 */
@RestController
class DashboardController {

	private final DashboardSampler sampler;

	private final Duration interval;

	private final Sinks.Empty<Void> closing = Sinks.empty();

	DashboardController(DashboardSampler sampler, SampleProperties properties) {
		this.sampler = sampler;
		this.interval = properties.getDashboard().getSampleInterval();
	}

	@GetMapping(path = "/api/dashboard/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<DashboardSample>> stream() {
		return Flux.interval(Duration.ZERO, this.interval)
			.onBackpressureDrop()
			.concatMap(this.sampler::sample)
			.map((sample) -> ServerSentEvent.builder(sample)
				.id(Long.toString(sample.seq()))
				.event("sample")
				.retry(Duration.ofSeconds(1))
				.build())
			.takeUntilOther(this.closing.asMono());
	}

	@EventListener(ContextClosedEvent.class)
	void closeStreams() {
		this.closing.tryEmitEmpty();
	}

}
