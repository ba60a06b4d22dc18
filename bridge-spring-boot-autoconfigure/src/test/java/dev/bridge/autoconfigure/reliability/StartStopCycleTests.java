/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.reliability;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.health.BridgeHealthAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.autoconfigure.metrics.BridgeMetricsAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import io.micrometer.context.ContextRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7, item 2: fifty application contexts started, used and closed one after another
 * in one JVM leave nothing behind: no thread, no timer, no {@code ContextRegistry} entry,
 * and nothing that keeps a closed context reachable.
 * <p>
 * The heap tolerance is {@value #HEAP_TOLERANCE_MB} MB. One context of this test, with
 * Bridge's loop, pools, aspects, health and metrics, retains a few megabytes (the test
 * prints the figure it measures), so fifty leaked contexts would exceed the tolerance
 * many times over, while what stays after a full collection without any leak (class data,
 * JIT and interned strings of the first cycles, which the baseline is taken after) moves
 * by well under it. The weak references are the sharper check: every closed context, loop
 * runner and offloader must be collectable.
 */
@Tag("stress")
class StartStopCycleTests {

	private static final int CYCLES = 50;

	private static final int WARM_UP = 3;

	private static final long HEAP_TOLERANCE_MB = 8;

	/**
	 * Threads other than Bridge's that may appear during the run and outlive it: JVM and
	 * library daemons started on first use (the common fork-join pool, Reactor's shared
	 * schedulers), none of them per context.
	 */
	private static final int THREAD_TOLERANCE = 2;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class,
				BridgeHealthAutoConfiguration.class, BridgeMetricsAutoConfiguration.class))
		.withPropertyValues("bridge.shutdown.timeout=1s", "bridge.offload.pools.jdbc.max-concurrency=2",
				"bridge.offload.pools.cpu.threads=platform", "bridge.offload.pools.cpu.max-concurrency=2")
		.withUserConfiguration(ServicesConfiguration.class);

	@Test
	@Timeout(180)
	void fiftyContextsStartedAndClosedLeaveNoThreadHeapOrRegistryEntryBehind() {
		Reliability.QuietLogger quiet = Reliability.quiet("dev.bridge.autoconfigure.lifecycle");
		try {
			startAndClose();
		}
		finally {
			quiet.close();
		}
	}

	private void startAndClose() {
		// Contexts other test classes keep open (Spring's test context cache) own
		// Bridge threads that are not this test's to judge.
		Set<Thread> othersBridgeThreads = Reliability.aliveBridgeThreads();
		for (int i = 0; i < WARM_UP; i++) {
			cycle(new ArrayList<>());
		}
		Set<String> threadsBefore = liveThreadNames();
		long heapBefore = usedHeapAfterGc();
		int accessorsBefore = ContextRegistry.getInstance().getThreadLocalAccessors().size();
		int contextAccessorsBefore = ContextRegistry.getInstance().getContextAccessors().size();
		long footprint = footprintOfOneOpenContext(heapBefore);
		List<WeakReference<Object>> closed = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < CYCLES; i++) {
			cycle(closed);
		}
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Reliability.aliveBridgeThreads()).isSubsetOf(othersBridgeThreads));
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			System.gc();
			assertThat(closed).as("closed contexts, loop runners and offloaders still reachable")
				.allMatch((reference) -> reference.get() == null);
		});
		Set<String> threadsAfter = liveThreadNames();
		Set<String> newThreads = threadsAfter.stream()
			.filter((name) -> !threadsBefore.contains(name))
			.collect(Collectors.toSet());
		assertThat(newThreads).noneMatch((name) -> name.startsWith("bridge-"))
			.hasSizeLessThanOrEqualTo(THREAD_TOLERANCE);
		assertThat(threadsAfter.size()).isLessThanOrEqualTo(threadsBefore.size() + THREAD_TOLERANCE);
		long heapAfter = usedHeapAfterGc();
		assertThat(heapAfter - heapBefore).isLessThan(HEAP_TOLERANCE_MB << 20);
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors()).hasSize(accessorsBefore);
		assertThat(ContextRegistry.getInstance().getContextAccessors()).hasSize(contextAccessorsBefore);
		Reliability.figures("StartStopCycleTests",
				"%d contexts started, used (4 calls each) and closed in %d ms; live threads %d before, %d after "
						+ "(new: %s); used heap after GC %d KB before, %d KB after (delta %d KB, tolerance %d MB, "
						+ "one open context retains %d KB); %d of %d weak references cleared; ContextRegistry "
						+ "thread-local accessors %d before, %d after",
				CYCLES, took.toMillis(), threadsBefore.size(), threadsAfter.size(), newThreads, heapBefore >> 10,
				heapAfter >> 10, (heapAfter - heapBefore) >> 10, HEAP_TOLERANCE_MB, footprint >> 10, closed.size(),
				closed.size(), accessorsBefore, ContextRegistry.getInstance().getThreadLocalAccessors().size());
	}

	private void cycle(List<WeakReference<Object>> closed) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			use(context);
			closed.add(new WeakReference<>(context.getSourceApplicationContext()));
			closed.add(new WeakReference<>(context.getBean(LoopRunner.class)));
			closed.add(new WeakReference<>(context.getBean(Offloader.class)));
		});
	}

	private long footprintOfOneOpenContext(long heapBefore) {
		long[] open = new long[1];
		this.contextRunner.run((context) -> {
			use(context);
			open[0] = usedHeapAfterGc();
		});
		return Math.max(0, open[0] - heapBefore);
	}

	/** Starts every kind of Bridge thread: loop, both pools, metrics and health. */
	private static void use(ApplicationContext context) throws Exception {
		Services services = context.getBean(Services.class);
		assertThat(services.offloaded().block(Duration.ofSeconds(5))).startsWith("bridge-offload-default-");
		assertThat(services.onCpu().get(5, TimeUnit.SECONDS)).startsWith("bridge-offload-cpu-");
		assertThat(services.onLoop()).startsWith("bridge-loop-");
		assertThat(context.getBean(LoopRunner.class).run(Mono.just("run"))).isEqualTo("run");
		SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
		context.getBeansOfType(MeterBinder.class).values().forEach((binder) -> binder.bindTo(registry));
		assertThat(registry.find("bridge.loop.pending").gauge()).isNotNull();
	}

	private static Set<String> liveThreadNames() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && !thread.getName().startsWith("awaitility"))
			.map((thread) -> thread.getName() + "#" + thread.getId())
			.collect(Collectors.toSet());
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	@Configuration(proxyBeanMethods = false)
	static class ServicesConfiguration {

		@Bean
		Services services() {
			return new Services();
		}

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	static class Services {

		@OffloadBlocking
		public Mono<String> offloaded() {
			return Mono.just(Thread.currentThread().getName());
		}

		@OffloadBlocking(pool = "cpu")
		public CompletableFuture<String> onCpu() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@RunOnLoop
		public String onLoop() {
			return Thread.currentThread().getName();
		}

	}

}
