/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.reliability;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helpers shared by the reliability tests: Bridge's live threads, unwrapping of the
 * wrappers a waiting caller adds, and the figures each test prints for
 * {@code docs/reliability.md}.
 */
final class Reliability {

	private Reliability() {
	}

	/**
	 * The live platform threads whose name starts with {@code bridge-}: the loop, its
	 * timer and the platform offload workers.
	 * @return the threads
	 */
	static Set<Thread> aliveBridgeThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("bridge-"))
			.collect(Collectors.toSet());
	}

	/**
	 * The failure a waiting caller's wrapper carries, or the failure itself.
	 * @param failure what the caller caught
	 * @return the failure without {@link CompletionException} or
	 * {@link ExecutionException} around it
	 */
	static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * Prints one line of figures, picked up by {@code docs/reliability.md}.
	 * @param test the test that measured them
	 * @param format the figures, a {@link String#format} pattern
	 * @param args the pattern's arguments
	 */
	static void figures(String test, String format, Object... args) {
		System.out.println("[reliability] " + test + ": " + String.format(format, args));
	}

	/**
	 * Raises a logger's level to {@code WARN} until closed, for tests that would print
	 * one info line per context.
	 * @param name the logger's name
	 * @return the handle that restores the level
	 */
	static QuietLogger quiet(String name) {
		Logger logger = (Logger) LoggerFactory.getLogger(name);
		QuietLogger quiet = new QuietLogger(logger, logger.getLevel());
		logger.setLevel(Level.WARN);
		return quiet;
	}

	/**
	 * Restores a logger's level when closed.
	 */
	record QuietLogger(Logger logger, Level level) implements AutoCloseable {

		@Override
		public void close() {
			this.logger.setLevel(this.level);
		}

	}

}
