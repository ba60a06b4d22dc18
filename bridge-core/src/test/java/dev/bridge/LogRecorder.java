/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * Records one logger's events, from INFO up, while a test runs: attach it, act, read what
 * was logged, close it (which restores the logger's level).
 */
public final class LogRecorder extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

	private final Logger logger;

	private final @Nullable Level level;

	private LogRecorder(String name) {
		this.logger = (Logger) LoggerFactory.getLogger(name);
		this.level = this.logger.getLevel();
	}

	/**
	 * Starts recording the logger of that name at INFO and above.
	 * @param name the logger's name
	 * @return the recorder
	 */
	public static LogRecorder attach(String name) {
		LogRecorder recorder = new LogRecorder(name);
		recorder.start();
		recorder.logger.setLevel(Level.INFO);
		recorder.logger.addAppender(recorder);
		return recorder;
	}

	/**
	 * What was logged so far, oldest first.
	 * @return the events
	 */
	public List<ILoggingEvent> events() {
		return List.copyOf(this.events);
	}

	/**
	 * What was logged at that level so far, oldest first.
	 * @param level the level
	 * @return the events
	 */
	public List<ILoggingEvent> events(Level level) {
		return this.events.stream().filter((event) -> event.getLevel() == level).toList();
	}

	/**
	 * The messages logged at that level so far, oldest first.
	 * @param level the level
	 * @return the formatted messages
	 */
	public List<String> messages(Level level) {
		return events(level).stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	/**
	 * Waits up to 10 s for the first event of that level.
	 * @param level the level
	 * @return the event
	 */
	public ILoggingEvent first(Level level) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> events(level).stream().findFirst(), (found) -> found.isPresent())
			.orElseThrow();
	}

	/**
	 * The event's throwable as the log prints it, or {@code null}.
	 * @param event the event
	 * @return the rendered throwable
	 */
	public static @Nullable String rendered(ILoggingEvent event) {
		IThrowableProxy stack = event.getThrowableProxy();
		return (stack != null) ? ThrowableProxyUtil.asString(stack) : null;
	}

	/**
	 * The frames of the event's throwable.
	 * @param event the event
	 * @return the frames, empty without a throwable
	 */
	public static List<StackTraceElement> frames(ILoggingEvent event) {
		IThrowableProxy stack = event.getThrowableProxy();
		if (stack == null) {
			return List.of();
		}
		return Arrays.stream(stack.getStackTraceElementProxyArray())
			.map(StackTraceElementProxy::getStackTraceElement)
			.toList();
	}

	@Override
	protected void append(ILoggingEvent event) {
		this.events.add(event);
	}

	@Override
	public void close() {
		this.logger.detachAppender(this);
		this.logger.setLevel(this.level);
		stop();
	}

}
