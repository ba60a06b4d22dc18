/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link RoundTripBenchmark} from one caller thread.
 */
@Threads(1)
public class RoundTrip1Benchmark extends RoundTripBenchmark {

}
