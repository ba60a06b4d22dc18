/**
 * JMH benchmarks of Bridge, each next to the baselines it is judged against, plus the
 * memory and idle-CPU footprint probe; run by {@code run.sh}, never by the tests.
 */
@NullMarked
package dev.bridge.benchmarks;

import org.jspecify.annotations.NullMarked;
