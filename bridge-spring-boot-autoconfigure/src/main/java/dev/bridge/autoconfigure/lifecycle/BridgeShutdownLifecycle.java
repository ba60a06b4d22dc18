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
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Takes the context's offloaders and loop runners through Spring's lifecycle, telling a
 * stop from a close as Spring's own executors do:
 * <ul>
 * <li>a <em>stop</em> or <em>pause</em> of a context that is not closing (Spring's test
 * context cache pauses every cached context it switches away from) pauses them: work in
 * flight finishes (the stop waits for it within {@code bridge.shutdown.timeout}), new
 * work is held, and nothing users hold is destroyed;
 * <li>a <em>start</em> or <em>restart</em> resumes them and starts the held work;
 * <li>a <em>close</em> shuts them down together with one drain budget: every one refuses
 * new work first, then each drains within what is left of the budget and cancels the
 * rest, and one line reports what happened. A context closed while paused has its held
 * work cancelled the same way.
 * </ul>
 * Runs in a phase after the web server's graceful shutdown (so requests it let finish
 * could still use Bridge) and before the web server stops and the executors are
 * destroyed. A close is told from a stop by the {@link ContextClosedEvent} Spring
 * publishes before it stops the context's lifecycle beans.
 */
final class BridgeShutdownLifecycle
		implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

	/**
	 * Between {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE} (stopped
	 * earlier) and {@code START_STOP_LIFECYCLE_PHASE} (stopped later).
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private static final Log logger = LogFactory.getLog(BridgeShutdownLifecycle.class);

	private final Duration timeout;

	private final ConfigurableListableBeanFactory beanFactory;

	private @Nullable ApplicationContext applicationContext;

	private final Object monitor = new Object();

	private volatile boolean running;

	private boolean paused;

	private boolean closing;

	private boolean shutDown;

	BridgeShutdownLifecycle(Duration timeout, ConfigurableListableBeanFactory beanFactory) {
		this.timeout = timeout;
		this.beanFactory = beanFactory;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running || this.shutDown) {
				return;
			}
			this.running = true;
			if (this.paused) {
				this.paused = false;
				int released = components().stream().mapToInt((component) -> component.resume().getAsInt()).sum();
				logger.debug("Bridge resumed: started " + released + " calls held while the context was stopped");
			}
		}
	}

	@Override
	public void stop() {
		synchronized (this.monitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			if (this.closing) {
				shutDown();
			}
			else {
				pause();
			}
		}
	}

	/**
	 * Marks this context as closing, so the stop that follows shuts Bridge down; shuts it
	 * down at once if the context was stopped (paused) before, since no stop follows
	 * then. Events of other contexts (a child's close reaches its parent) are ignored.
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.applicationContext) {
			return;
		}
		synchronized (this.monitor) {
			this.closing = true;
			if (!this.running) {
				shutDown();
			}
		}
	}

	private void pause() {
		long start = System.nanoTime();
		List<Component> components = components();
		components.forEach((component) -> component.pause().run());
		this.paused = true;
		int running = 0;
		for (Component component : components) {
			running += component.awaitQuiescence().applyAsInt(budgetLeft(start));
		}
		if (running > 0) {
			logger.info("Bridge paused with " + running + " calls still running after bridge.shutdown.timeout "
					+ this.timeout.toMillis() + " ms; they go on, and new work is held until the context starts again");
		}
		else {
			logger.debug("Bridge paused in " + Duration.ofNanos(System.nanoTime() - start).toMillis()
					+ " ms: new work is held until the context starts again");
		}
	}

	private void shutDown() {
		if (this.shutDown) {
			return;
		}
		this.shutDown = true;
		long start = System.nanoTime();
		// Offloaders first: loop work may be waiting for offloaded results, which are
		// delivered back on the loop.
		List<Component> components = components();
		components.forEach((component) -> component.beginShutdown().run());
		List<ShutdownReport> reports = new ArrayList<>();
		for (Component component : components) {
			reports.add(component.finishShutdown().apply(budgetLeft(start)));
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
	 * What is left of {@code bridge.shutdown.timeout} since {@code start}, never
	 * negative. Counted as a duration, so that no value of the property can overflow
	 * here: the components Bridge builds refuse one too large for them at startup.
	 */
	private Duration budgetLeft(long start) {
		Duration left = this.timeout.minusNanos(System.nanoTime() - start);
		return left.isNegative() ? Duration.ZERO : left;
	}

	/**
	 * The offloaders, then the loop runners, that exist (a lazy bean never created is not
	 * created now).
	 */
	private List<Component> components() {
		Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		return Stream.of(Offloader.class, LoopRunner.class)
			.flatMap((type) -> Arrays.stream(this.beanFactory.getBeanNamesForType(type, true, false)))
			.filter(this.beanFactory::containsSingleton)
			.map(this.beanFactory::getBean)
			.filter(seen::add)
			.map(Component::of)
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

	/**
	 * The lifecycle of an offloader or a loop runner bean, which pause, resume and shut
	 * down alike.
	 */
	private record Component(Runnable pause, ToIntFunction<Duration> awaitQuiescence, IntSupplier resume,
			Runnable beginShutdown, Function<Duration, ShutdownReport> finishShutdown) {

		static Component of(Object bean) {
			if (bean instanceof Offloader offloader) {
				return new Component(offloader::pause, offloader::awaitQuiescence, offloader::resume,
						offloader::beginShutdown, offloader::finishShutdown);
			}
			LoopRunner loop = (LoopRunner) bean;
			return new Component(loop::pause, loop::awaitQuiescence, loop::resume, loop::beginShutdown,
					loop::finishShutdown);
		}

	}

}
