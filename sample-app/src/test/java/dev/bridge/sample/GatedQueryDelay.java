/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.bridge.sample.orders.QueryDelay;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database delay tests control: no delay while open; while a {@link Gate} is closed,
 * every query waits at the gate until the test opens it, so a test can hold the
 * {@code jdbc} pool exactly full without guessing at timings.
 */
public class GatedQueryDelay implements QueryDelay {

	private final AtomicReference<Gate> gate = new AtomicReference<>();

	/**
	 * Closes a new gate in front of every later query. Open it (or close the returned
	 * gate with try-with-resources) to let the queries through.
	 * @return the gate
	 */
	public Gate closeGate() {
		Gate closed = new Gate();
		assertThat(this.gate.compareAndSet(null, closed)).as("a gate is already closed").isTrue();
		return closed;
	}

	@Override
	public void beforeQuery() throws InterruptedException {
		Gate current = this.gate.get();
		if (current != null) {
			current.pass();
		}
	}

	/**
	 * A closed gate queries wait at.
	 */
	public final class Gate implements AutoCloseable {

		private final CountDownLatch opened = new CountDownLatch(1);

		private final Semaphore arrived = new Semaphore(0);

		private void pass() throws InterruptedException {
			this.arrived.release();
			if (!this.opened.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never opened the gate");
			}
		}

		/**
		 * Waits until {@code count} more queries are waiting at the gate.
		 * @param count how many
		 * @throws InterruptedException when interrupted
		 */
		public void awaitArrivals(int count) throws InterruptedException {
			assertThat(this.arrived.tryAcquire(count, 10, TimeUnit.SECONDS)).as("%d queries waiting at the gate", count)
				.isTrue();
		}

		/**
		 * Lets every waiting and later query through.
		 */
		public void open() {
			GatedQueryDelay.this.gate.compareAndSet(this, null);
			this.opened.countDown();
		}

		@Override
		public void close() {
			open();
		}

	}

	/**
	 * Replaces the application's sleeping delay.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		@Primary
		GatedQueryDelay gatedQueryDelay() {
			return new GatedQueryDelay();
		}

	}

}
