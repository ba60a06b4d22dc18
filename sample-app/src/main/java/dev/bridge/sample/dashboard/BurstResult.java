/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;
import java.util.List;

/**
 * How a burst of concurrent order requests was answered. Immutable.
 *
 * @param requested how many requests were sent at once
 * @param ok answered {@code 200}
 * @param rejected answered {@code 503} because the {@code jdbc} pool was full
 * @param other any other answer or a connection failure
 * @param tookMillis how long the whole burst took
 * @since 0.1.0
 */
public record BurstResult(int requested, int ok, int rejected, int other, long tookMillis) {

	static BurstResult of(List<Integer> statuses, Duration took) {
		int ok = 0;
		int rejected = 0;
		for (int status : statuses) {
			if (status == 200) {
				ok++;
			}
			else if (status == 503) {
				rejected++;
			}
		}
		return new BurstResult(statuses.size(), ok, rejected, statuses.size() - ok - rejected, took.toMillis());
	}

}
