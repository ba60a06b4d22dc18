/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that the Spring application of {@link OffloadOverheadBenchmark} starts with the
 * Bridge aspects applied (its start-up refuses otherwise), that every variant returns the
 * value, and that the {@code @RunOnLoop} variant of {@link RoundTripBenchmark} does too.
 */
class OffloadOverheadBenchmarkTests {

	private final OffloadOverheadBenchmark benchmark = new OffloadOverheadBenchmark();

	private final OffloadOverheadBenchmark.DefaultBridge bridge = new OffloadOverheadBenchmark.DefaultBridge();

	@BeforeEach
	void setUp() {
		this.bridge.setUp();
	}

	@AfterEach
	void tearDown() {
		this.bridge.tearDown();
	}

	@Test
	void everyVariantReturnsTheValue() {
		assertThat(this.benchmark.bridgeOffloadBlockingMono(this.bridge)).isEqualTo(42);
		assertThat(this.benchmark.bridgeOffloadBlockingFuture(this.bridge)).isEqualTo(42);
		assertThat(this.benchmark.bridgeOffloaderMono(this.bridge)).isEqualTo(42);
		assertThat(this.benchmark.reactorBoundedElastic(this.bridge)).isEqualTo(42);
		assertThat(this.benchmark.springAsync(this.bridge)).isEqualTo(42);
	}

	@Test
	void runOnLoopVariantReturnsTheValue() {
		RoundTripBenchmark.SpringLoop spring = new RoundTripBenchmark.SpringLoop();
		spring.start();
		try {
			assertThat(new RoundTrip1Benchmark().bridgeRunOnLoop(spring)).isEqualTo(42);
		}
		finally {
			spring.stop();
		}
	}

}
