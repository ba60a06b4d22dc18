/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class JoinableThreadFactoryTests {

	@Test
	void makesNumberedDaemonThreadsAndJoinsThemOnlyOnceTheyHaveEnded() throws Exception {
		JoinableThreadFactory factory = new JoinableThreadFactory("bridge-test-");
		CountDownLatch release = new CountDownLatch(1);
		Thread blocked = factory.newThread(() -> {
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		Thread quick = factory.newThread(() -> {
		});
		assertThat(blocked.getName()).isEqualTo("bridge-test-1");
		assertThat(quick.getName()).isEqualTo("bridge-test-2");
		assertThat(blocked.isDaemon()).isTrue();
		assertThat(quick.isDaemon()).isTrue();
		blocked.start();
		quick.start();
		assertThat(factory.join(Duration.ofMillis(50))).as("joined while a thread still runs").isFalse();
		assertThat(blocked.isAlive()).isTrue();
		release.countDown();
		assertThat(factory.join(Duration.ofSeconds(10))).isTrue();
		assertThat(blocked.isAlive()).isFalse();
		assertThat(quick.isAlive()).isFalse();
	}

}
