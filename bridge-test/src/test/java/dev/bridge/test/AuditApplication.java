/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An application with a fire-and-forget audit log on its own pool and a loop-confined
 * board, for the Spring tests of the test support.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class AuditApplication {

	static final String POOL_PROPERTY = "bridge.offload.pools.audit.max-concurrency=2";

	@Bean
	Audit audit() {
		return new Audit();
	}

	@Bean
	Board board() {
		return new Board();
	}

	static class Audit {

		/** Open unless a test closes it: audit writes wait for it. */
		private volatile CountDownLatch gate = new CountDownLatch(0);

		private final List<String> written = new CopyOnWriteArrayList<>();

		/**
		 * Holds audit writes until the returned latch is counted down. A method, not a
		 * field, since callers hold a proxy.
		 * @return the gate
		 */
		public CountDownLatch holdWrites() {
			this.gate = new CountDownLatch(1);
			return this.gate;
		}

		public List<String> written() {
			return this.written;
		}

		@OffloadBlocking(pool = "audit")
		public void record(String event) throws InterruptedException {
			if (!this.gate.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("audit gate never opened");
			}
			this.written.add(event);
		}

		@OffloadBlocking(pool = "audit", timeout = "30s")
		public CompletableFuture<String> export() throws InterruptedException {
			this.gate.await(1, TimeUnit.HOURS);
			return CompletableFuture.completedFuture("exported");
		}

		@OffloadBlocking
		public Mono<Integer> count() {
			return Mono.just(this.written.size());
		}

	}

	static class Board {

		private int published;

		@RunOnLoop
		public int publish() {
			return ++this.published;
		}

		@RunOnLoop(timeout = "1m")
		public boolean hold(CountDownLatch started, CountDownLatch release) throws InterruptedException {
			started.countDown();
			return release.await(1, TimeUnit.HOURS);
		}

	}

}
