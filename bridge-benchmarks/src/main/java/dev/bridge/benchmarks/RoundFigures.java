/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures the interleaved harnesses report from their rounds: the median of the round
 * figures and their spread, one line comparing a feature switched on and off, and the
 * number format of their tables.
 */
final class RoundFigures {

	private RoundFigures() {
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	static double min(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
	}

	static double max(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
	}

	/**
	 * A figure with three significant digits or so: {@code 0.083}, {@code 1.24},
	 * {@code 12.4}, {@code 124}.
	 */
	static String format(double value) {
		double magnitude = Math.abs(value);
		String pattern = (magnitude >= 100) ? "%.0f" : (magnitude >= 10) ? "%.1f" : (magnitude >= 1) ? "%.2f" : "%.3f";
		return String.format(Locale.ROOT, pattern, value);
	}

	/**
	 * Prints one line: the median and spread of the rounds with {@code feature} on and
	 * off, and the ratio of the medians.
	 */
	static void onOff(String what, String feature, List<Double> on, List<Double> off) {
		System.out.printf(Locale.ROOT, "%-40s %s on %8.1f (%.1f..%.1f)   off %8.1f (%.1f..%.1f)   on/off %.3f%n", what,
				feature, median(on), min(on), max(on), median(off), min(off), max(off), median(on) / median(off));
	}

}
