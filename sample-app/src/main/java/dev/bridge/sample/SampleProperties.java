/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample itself (not of Bridge), under {@code sample}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final Legacy legacy = new Legacy();

	private final Demo demo = new Demo();

	private final Dashboard dashboard = new Dashboard();

	/**
	 * Settings of the legacy order repository.
	 * @return the legacy settings
	 */
	public Legacy getLegacy() {
		return this.legacy;
	}

	/**
	 * Settings of the dashboard's demo buttons.
	 * @return the demo settings
	 */
	public Demo getDemo() {
		return this.demo;
	}

	/**
	 * Settings of the dashboard's event stream.
	 * @return the dashboard settings
	 */
	public Dashboard getDashboard() {
		return this.dashboard;
	}

	/**
	 * Settings of the legacy order repository.
	 */
	public static class Legacy {

		/**
		 * Extra latency added to every query, standing in for a slow remote database.
		 */
		private Duration latency = Duration.ofMillis(200);

		/**
		 * Extra latency added to every query.
		 * @return the latency
		 */
		public Duration getLatency() {
			return this.latency;
		}

		/**
		 * Sets the extra latency added to every query.
		 * @param latency zero or positive
		 */
		public void setLatency(Duration latency) {
			if (latency.isNegative()) {
				throw new IllegalArgumentException("sample.legacy.latency must not be negative but was " + latency);
			}
			this.latency = latency;
		}

	}

	/**
	 * Settings of the dashboard's demo buttons.
	 */
	public static class Demo {

		/**
		 * How many concurrent requests the "burst" button fires.
		 */
		private int burstSize = 100;

		/**
		 * How long the "stall the loop" button blocks the loop thread.
		 */
		private Duration stall = Duration.ofMillis(1500);

		/**
		 * How many concurrent requests the "burst" button fires.
		 * @return the burst size
		 */
		public int getBurstSize() {
			return this.burstSize;
		}

		/**
		 * Sets how many concurrent requests the "burst" button fires.
		 * @param burstSize a positive count
		 */
		public void setBurstSize(int burstSize) {
			if (burstSize <= 0) {
				throw new IllegalArgumentException("sample.demo.burst-size must be positive but was " + burstSize);
			}
			this.burstSize = burstSize;
		}

		/**
		 * How long the "stall the loop" button blocks the loop thread.
		 * @return the stall duration
		 */
		public Duration getStall() {
			return this.stall;
		}

		/**
		 * Sets how long the "stall the loop" button blocks the loop thread.
		 * @param stall a positive duration
		 */
		public void setStall(Duration stall) {
			if (stall.isNegative() || stall.isZero()) {
				throw new IllegalArgumentException("sample.demo.stall must be positive but was " + stall);
			}
			this.stall = stall;
		}

	}

	/**
	 * Settings of the dashboard's event stream.
	 */
	public static class Dashboard {

		/**
		 * How often the dashboard stream sends a sample.
		 */
		private Duration sampleInterval = Duration.ofMillis(250);

		/**
		 * How often the dashboard stream sends a sample.
		 * @return the sample interval
		 */
		public Duration getSampleInterval() {
			return this.sampleInterval;
		}

		/**
		 * Sets how often the dashboard stream sends a sample.
		 * @param sampleInterval a positive duration
		 */
		public void setSampleInterval(Duration sampleInterval) {
			if (sampleInterval.isNegative() || sampleInterval.isZero()) {
				throw new IllegalArgumentException(
						"sample.dashboard.sample-interval must be positive but was " + sampleInterval);
			}
			this.sampleInterval = sampleInterval;
		}

	}

}
