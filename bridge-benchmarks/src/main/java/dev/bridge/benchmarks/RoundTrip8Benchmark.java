/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link RoundTripBenchmark} from eight caller threads at once, four per core here.
 */
@Threads(8)
public class RoundTrip8Benchmark extends RoundTripBenchmark {

}
