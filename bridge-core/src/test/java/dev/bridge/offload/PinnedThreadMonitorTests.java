/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pinning detection: on Java 21+ a virtual thread of a pool that blocks while pinned is
 * reported with the call's name and the stack; on Java 17 nothing is started and calls
 * work as before.
 * <p>
 * The pinning comes from class initialisation: a virtual thread that blocks inside a
 * static initialiser cannot unmount on any JDK, 25 included (since Java 24,
 * {@code synchronized} no longer pins, so {@code synchronized} plus {@code Thread.sleep}
 * would not show it there).
 */
class PinnedThreadMonitorTests {

	private final List<OffloadStallEvent.Pinned> events = new CopyOnWriteArrayList<>();

	private final CountDownLatch reported = new CountDownLatch(1);

	private Offloader offloader;

	@AfterEach
	void shutDown() {
		if (this.offloader != null) {
			this.offloader.finishShutdown(Duration.ofSeconds(5));
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void anOffloaderLeftOpenDoesNotKeepTheJvmAlive() {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		this.offloader = Offloader.builder().defaultPool((pool) -> pool.threads(ThreadMode.VIRTUAL)).build();
		assertThat(((DefaultOffloader) this.offloader).detectsPinning()).isTrue();
		assertThat(Thread.getAllStackTraces().keySet()).filteredOn((thread) -> !before.contains(thread))
			.filteredOn(Thread::isAlive)
			.noneMatch((thread) -> !thread.isDaemon());
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void aPinnedVirtualThreadIsReportedWithTheCallAndTheStack() throws Exception {
		this.offloader = Offloader.builder()
			.defaultPool((pool) -> pool.threads(ThreadMode.VIRTUAL))
			.stallListener(new OffloadStallEvent.Listener() {
				@Override
				public void onStall(OffloadStallEvent event) {
				}

				@Override
				public void onPinned(OffloadStallEvent.Pinned event) {
					PinnedThreadMonitorTests.this.events.add(event);
					PinnedThreadMonitorTests.this.reported.countDown();
				}
			})
			.build();
		CompletableFuture<Boolean> call = this.offloader.named("Legacy.initialiseSlowly").future(() -> {
			SlowInitialiser.touch();
			// Still running when the JDK's event arrives, so it is named.
			return this.reported.await(30, TimeUnit.SECONDS);
		});
		assertThat(call.get(35, TimeUnit.SECONDS)).isTrue();
		OffloadStallEvent.Pinned event = this.events.get(0);
		assertThat(event.pool()).isEqualTo("default");
		assertThat(event.task()).isEqualTo("Legacy.initialiseSlowly");
		assertThat(event.thread()).startsWith("bridge-offload-default-");
		assertThat(event.pinnedFor()).isGreaterThanOrEqualTo(PinnedThreadMonitor.THRESHOLD);
		assertThat(event.stack()).anySatisfy((frame) -> {
			assertThat(frame.getClassName()).isEqualTo(SlowInitialiser.class.getName());
			assertThat(frame.getMethodName()).isEqualTo("<clinit>");
		});
		assertThat(this.offloader.stats().pinned()).isGreaterThanOrEqualTo(1);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void detectionStartsForAVirtualPoolUnlessTurnedOffAndNotForPlatformPools() {
		Offloader virtual = Offloader.builder().defaultPool((pool) -> pool.threads(ThreadMode.VIRTUAL)).build();
		Offloader off = Offloader.builder()
			.defaultPool((pool) -> pool.threads(ThreadMode.VIRTUAL))
			.pinningDetection(false)
			.build();
		Offloader platform = Offloader.builder().defaultPool((pool) -> pool.threads(ThreadMode.PLATFORM)).build();
		try {
			assertThat(((DefaultOffloader) virtual).detectsPinning()).isTrue();
			assertThat(((DefaultOffloader) off).detectsPinning()).isFalse();
			assertThat(((DefaultOffloader) platform).detectsPinning()).isFalse();
		}
		finally {
			for (Offloader offloader : List.of(virtual, off, platform)) {
				offloader.finishShutdown(Duration.ofSeconds(1));
			}
		}
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void nothingIsStartedOnAJvmWithoutVirtualThreads() throws Exception {
		this.offloader = Offloader.create();
		assertThat(((DefaultOffloader) this.offloader).detectsPinning()).isFalse();
		assertThat(this.offloader.future(() -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok");
		assertThat(this.offloader.stats().pinned()).isZero();
	}

	static final class SlowInitialiser {

		static {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		static void touch() {
		}

	}

}
