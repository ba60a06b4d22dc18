/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that the core variants of {@link RoundTripBenchmark} set up, return the value
 * and tear down.
 */
class RoundTripBenchmarkTests {

	private final RoundTripBenchmark benchmark = new RoundTrip1Benchmark();

	@BeforeEach
	void setUp() {
		this.benchmark.start();
	}

	@AfterEach
	void tearDown() {
		this.benchmark.stop();
	}

	@Test
	void everyCoreVariantReturnsTheValue() {
		assertThat(this.benchmark.bridgeCall()).isEqualTo(42);
		assertThat(this.benchmark.bridgeRunMono()).isEqualTo(42);
		assertThat(this.benchmark.rawHandOff()).isEqualTo(42);
		assertThat(this.benchmark.reactorSingleBlock()).isEqualTo(42);
	}

}
