/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.bridge.lifecycle.GracefulShutdown;
import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Shuts the context's offloaders and loop runners down together with one drain budget:
 * every one refuses new work first, then each drains within what is left of the budget
 * and cancels the rest, and one line reports what happened. Runs in a phase after the web
 * server's graceful shutdown (so requests it let finish could still use Bridge) and
 * before the web server stops and the executors are destroyed.
 */
final class BridgeShutdownLifecycle implements SmartLifecycle {

	/**
	 * Between {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE} (stopped
	 * earlier) and {@code START_STOP_LIFECYCLE_PHASE} (stopped later).
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private static final Log logger = LogFactory.getLog(BridgeShutdownLifecycle.class);

	private final Duration timeout;

	private final ConfigurableListableBeanFactory beanFactory;

	private volatile boolean running;

	BridgeShutdownLifecycle(Duration timeout, ConfigurableListableBeanFactory beanFactory) {
		this.timeout = timeout;
		this.beanFactory = beanFactory;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		long start = System.nanoTime();
		// Offloaders first: loop work may be waiting for offloaded results, which are
		// delivered back on the loop.
		List<GracefulShutdown> components = components();
		components.forEach(GracefulShutdown::beginShutdown);
		long deadline = start + this.timeout.toNanos();
		List<ShutdownReport> reports = new ArrayList<>();
		for (GracefulShutdown component : components) {
			reports.add(component.finishShutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
		}
		if (reports.isEmpty()) {
			return;
		}
		int cancelled = reports.stream().mapToInt(ShutdownReport::cancelled).sum();
		String line = "Bridge shut down in " + Duration.ofNanos(System.nanoTime() - start).toMillis()
				+ " ms (bridge.shutdown.timeout " + this.timeout.toMillis() + " ms): "
				+ reports.stream().map(ShutdownReport::summary).collect(Collectors.joining("; "));
		if (cancelled > 0) {
			logger.warn(line);
		}
		else {
			logger.info(line);
		}
	}

	/**
	 * The offloaders, then the loop runners, that exist (a lazy bean never created is not
	 * created now) and can shut down gracefully.
	 */
	private List<GracefulShutdown> components() {
		Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		return Stream.of(Offloader.class, LoopRunner.class)
			.flatMap((type) -> Arrays.stream(this.beanFactory.getBeanNamesForType(type, true, false)))
			.filter(this.beanFactory::containsSingleton)
			.map(this.beanFactory::getBean)
			.filter(GracefulShutdown.class::isInstance)
			.map(GracefulShutdown.class::cast)
			.filter(seen::add)
			.toList();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
