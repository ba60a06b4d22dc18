/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import dev.bridge.benchmarks.Interleaved.Bar;
import dev.bridge.benchmarks.Interleaved.Variant;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bridge's offload and loop round trips against their baselines, measured alternating in
 * one JVM ({@link Interleaved}), from one caller and from eight at once, with the CPU per
 * call beside each latency; and the idle cost of the warm pools and the loop once the
 * load stops. One scenario per JVM, so one scenario's threads and JIT state cannot count
 * against the next:
 * <ul>
 * <li>{@code offload}: a trivial body ({@code i + 1}) run on another thread and awaited
 * by a platform caller, Bridge's {@code @OffloadBlocking} proxy and {@link Offloader}
 * against hand-written {@code fromCallable(..).subscribeOn(boundedElastic()).block()}
 * (the baseline), Spring {@code @Async} and a cached pool;</li>
 * <li>{@code roundtrip}: {@link LoopRunner#call}, {@link LoopRunner#run(Mono)} and a
 * synchronous {@code @RunOnLoop} method against the raw hand-off to a single-thread
 * executor (the baseline) and {@code subscribeOn(single()).block()};</li>
 * <li>{@code stream}: a synchronous consumer summing {@value #STREAM_ITEMS} items of
 * {@code Flux.range} per call, through {@link LoopRunner#stream} (the source emits on the
 * loop) against {@code subscribeOn(newSingle).toStream()} (the baseline: the same
 * hand-off from another thread) and plain {@code toStream()} (no hand-off: the source
 * emits on the consumer's thread);</li>
 * <li>{@code idle}: the CPU the process uses 0–10 ms, 10–100 ms and 0.1–1 s after a batch
 * of calls through each of them.</li>
 * </ul>
 * Run with {@code bridge-benchmarks/run.sh --only interleaved} (all scenarios), or
 * directly: {@code java -cp <classpath> dev.bridge.benchmarks.InterleavedComparison
 * offload|roundtrip|stream|idle [rounds] [callsPerCaller]}. Prints Markdown.
 */
public final class InterleavedComparison {

	private static final int MANY_CALLERS = 8;

	/** Items one call of the {@code stream} scenario sums. */
	static final int STREAM_ITEMS = 100_000;

	private InterleavedComparison() {
	}

	/**
	 * Runs one scenario and prints its tables.
	 * @param args the scenario, rounds (default 21) and calls per caller per batch
	 * (default 2,000)
	 * @throws Exception when a variant fails
	 */
	public static void main(String[] args) throws Exception {
		if (args.length < 1) {
			throw new IllegalArgumentException(
					"usage: InterleavedComparison offload|roundtrip|stream|idle [rounds] [calls]");
		}
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 21;
		int calls = (args.length > 2) ? Integer.parseInt(args[2]) : 2_000;
		ConfigurableApplicationContext context = SpringContexts.start(Map.of());
		Application application = new Application(context);
		try {
			switch (args[0]) {
				case "offload" -> offload(application, rounds, calls);
				case "roundtrip" -> roundTrip(application, rounds, calls);
				case "stream" -> stream(application, rounds, calls);
				case "idle" -> idle(application, rounds, calls);
				default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
			}
		}
		finally {
			application.close();
		}
	}

	private static void offload(Application app, int rounds, int calls) throws Exception {
		ConfigurableApplicationContext platform = ThreadMode.virtualThreadsAvailable()
				? SpringContexts.start(Map.of("bridge.offload.threads", "platform")) : null;
		Offloader onElastic = Offloader.builder()
			.defaultPool((pool) -> pool.executor((task) -> Schedulers.boundedElastic().schedule(task)))
			.build();
		try {
			List<Variant> variants = new ArrayList<>();
			variants.add(app.boundedElastic());
			variants.add(new Variant("Bridge `@OffloadBlocking` → `Mono`, `block()`",
					(i) -> app.offloaded.increment(i).block(), Bar.ratioAtMost(1.10)));
			variants.add(new Variant("Bridge `Offloader.mono(..).block()`",
					(i) -> app.offloader.mono(() -> i + 1).block(), Bar.ratioAtMost(1.10)));
			if (platform != null) {
				SpringContexts.OffloadedWork onPlatform = platform.getBean(SpringContexts.OffloadedWork.class);
				variants.add(new Variant("Bridge `@OffloadBlocking` → `Mono`, `bridge.offload.threads=platform`",
						(i) -> onPlatform.increment(i).block()));
			}
			variants.add(new Variant("Bridge `@OffloadBlocking` → `CompletableFuture`, `join()`",
					(i) -> app.offloaded.incrementFuture(i).join()));
			variants.add(new Variant("Bridge `Offloader.mono` (core) on `boundedElastic` workers",
					(i) -> onElastic.mono(() -> i + 1).block()));
			variants.add(new Variant("Spring `@Async` → `CompletableFuture`, `join()`",
					(i) -> app.async.increment(i).join()));
			variants.add(app.cachedPool());
			header(rounds, calls);
			try (Interleaved one = new Interleaved(1, rounds, calls)) {
				one.compare("Offload round trip, one sequential caller", variants);
			}
			try (Interleaved many = new Interleaved(MANY_CALLERS, rounds, calls)) {
				many.compare("Offload round trip, " + MANY_CALLERS + " callers at once",
						List.of(variants.get(0), variants.get(1), variants.get(2), app.cachedPool()));
			}
		}
		finally {
			JdkThreads.shutdown(onElastic);
			if (platform != null) {
				platform.close();
			}
		}
	}

	private static void roundTrip(Application app, int rounds, int calls) throws Exception {
		Bar bar = Bar.medianBelow(10).and(Bar.ratioAtMost(1.25));
		List<Variant> variants = List.of(app.singleThread(),
				new Variant("Bridge `LoopRunner.call(..)`", (i) -> app.loop.call(() -> i + 1), bar),
				new Variant("Bridge `LoopRunner.run(Mono.just(..))`", (i) -> app.loop.run(Mono.just(i)), bar),
				new Variant("Bridge `@RunOnLoop` sync", app.looped::echo, bar),
				new Variant("Reactor `subscribeOn(single()).block()`",
						(i) -> Mono.just(i).subscribeOn(Schedulers.single()).block()));
		header(rounds, calls);
		try (Interleaved one = new Interleaved(1, rounds, calls)) {
			one.compare("Sync → loop round trip, one sequential caller", variants);
		}
		try (Interleaved many = new Interleaved(MANY_CALLERS, rounds, calls)) {
			many.compare("Sync → loop round trip, " + MANY_CALLERS + " callers at once", variants);
		}
	}

	private static void stream(Application app, int rounds, int calls) throws Exception {
		Scheduler source = Schedulers.newSingle("stream-source");
		try {
			List<Variant> variants = List.of(
					new Variant("baseline: `Flux.range(..).subscribeOn(newSingle).toStream()` (one hand-off)",
							(i) -> sum(Flux.range(i, STREAM_ITEMS).subscribeOn(source).toStream())),
					new Variant("Bridge `LoopRunner.stream(Flux.range(..))`",
							(i) -> sum(app.loop.stream(Flux.range(i, STREAM_ITEMS)))),
					new Variant("`Flux.range(..).toStream()` (no hand-off: emits on the consumer's thread)",
							(i) -> sum(Flux.range(i, STREAM_ITEMS).toStream())));
			System.out.printf(Locale.ROOT, "%nOne call sums %,d items: items/s = %,d / (median µs / 10^6)%n",
					STREAM_ITEMS, STREAM_ITEMS);
			header(rounds, calls);
			try (Interleaved one = new Interleaved(1, rounds, calls)) {
				one.compare("Stream bridging, " + STREAM_ITEMS + " items per call, one consumer", variants);
			}
		}
		finally {
			source.dispose();
		}
	}

	private static int sum(Stream<Integer> items) {
		try (items) {
			return items.mapToInt(Integer::intValue).sum();
		}
	}

	private static void idle(Application app, int rounds, int calls) throws Exception {
		List<Variant> variants = List.of(new Variant("nothing (control: the call runs on the caller)", (i) -> i + 1),
				app.boundedElastic(),
				new Variant("Bridge `Offloader.mono(..).block()` (default pool)",
						(i) -> app.offloader.mono(() -> i + 1).block()),
				app.cachedPool(), app.singleThread(),
				new Variant("Bridge `LoopRunner.call(..)`", (i) -> app.loop.call(() -> i + 1)));
		header(rounds, calls);
		try (Interleaved one = new Interleaved(1, rounds, calls)) {
			one.idleAfter("Idle cost after the load stops (warm pools and loop)", variants);
		}
	}

	private static void header(int rounds, int calls) {
		System.out.printf(Locale.ROOT, "%nJava %s (%s), %d rounds of %,d calls per caller per variant%n",
				System.getProperty("java.version"), ThreadMode.virtualThreadsAvailable()
						? "Bridge's default pool on virtual threads" : "Bridge's default pool on platform threads",
				rounds, calls);
	}

	/**
	 * The Bridge beans of the benchmark application and the baselines' executors.
	 */
	private static final class Application implements AutoCloseable {

		final ConfigurableApplicationContext context;

		final LoopRunner loop;

		final Offloader offloader;

		final SpringContexts.OffloadedWork offloaded;

		final SpringContexts.AsyncWork async;

		final SpringContexts.LoopWork looped;

		final ExecutorService cached = Executors.newCachedThreadPool();

		final ExecutorService single = Executors.newSingleThreadExecutor();

		Application(ConfigurableApplicationContext context) {
			this.context = context;
			this.loop = context.getBean(LoopRunner.class);
			this.offloader = context.getBean(Offloader.class);
			this.offloaded = context.getBean(SpringContexts.OffloadedWork.class);
			this.async = context.getBean(SpringContexts.AsyncWork.class);
			this.looped = context.getBean(SpringContexts.LoopWork.class);
		}

		Variant boundedElastic() {
			return new Variant("baseline: `fromCallable.subscribeOn(boundedElastic).block()`",
					(i) -> Mono.fromCallable(() -> i + 1).subscribeOn(Schedulers.boundedElastic()).block());
		}

		Variant cachedPool() {
			return new Variant("`CompletableFuture.supplyAsync(cached pool).join()`",
					(i) -> CompletableFuture.supplyAsync(() -> i + 1, this.cached).join());
		}

		Variant singleThread() {
			return new Variant("baseline: `supplyAsync(single thread).join()`",
					(i) -> CompletableFuture.supplyAsync(() -> i + 1, this.single).join());
		}

		@Override
		public void close() {
			this.cached.shutdownNow();
			this.single.shutdownNow();
			this.context.close();
		}

	}

}
