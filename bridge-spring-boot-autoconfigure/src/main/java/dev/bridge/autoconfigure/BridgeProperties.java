/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.bridge.offload.Offloader.ThreadMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties for Bridge, bound from {@code bridge.*}.
 * <p>
 * The properties validate themselves when bound: a value out of range fails startup with
 * a message that names its key. A duration too large for the component it configures
 * (beyond about 292 years) is refused by that component's builder when Bridge builds it,
 * and that failure names the key as well. Instances are mutable while bound and must not
 * be changed afterwards; they are not thread-safe.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("bridge")
public class BridgeProperties implements Validator {

	/**
	 * Whether to enable Bridge: its beans, aspects, shutdown, health and metrics.
	 */
	private boolean enabled = true;

	private final Loop loop = new Loop();

	private final Offload offload = new Offload();

	private final Context context = new Context();

	private final Shutdown shutdown = new Shutdown();

	private final Health health = new Health();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Loop getLoop() {
		return this.loop;
	}

	public Offload getOffload() {
		return this.offload;
	}

	public Context getContext() {
		return this.context;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Health getHealth() {
		return this.health;
	}

	@Override
	public boolean supports(Class<?> type) {
		return BridgeProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		BridgeProperties properties = (BridgeProperties) target;
		Loop loop = properties.getLoop();
		if (loop.getThreadName().isBlank()) {
			errors.rejectValue("loop.threadName", "blank", "bridge.loop.thread-name must not be blank");
		}
		positive(errors, "loop.callTimeout", "bridge.loop.call-timeout", loop.getCallTimeout());
		positive(errors, "loop.stallThreshold", "bridge.loop.stall-threshold", loop.getStallThreshold());
		positive(errors, "loop.lagProbeInterval", "bridge.loop.lag-probe-interval", loop.getLagProbeInterval());
		Offload offload = properties.getOffload();
		validatePool(errors, "offload.", "bridge.offload.", offload.getThreads(), offload.getMaxConcurrency(),
				offload.getQueueCapacity(), offload.getTimeout());
		notNegative(errors, "offload.stallThreshold", "bridge.offload.stall-threshold", offload.getStallThreshold());
		offload.getPools()
			.forEach((name, pool) -> validatePool(errors, "offload.pools[" + name + "].",
					"bridge.offload.pools." + name + ".", pool.getThreads(), pool.getMaxConcurrency(),
					pool.getQueueCapacity(), pool.getTimeout()));
		offload.getPools()
			.forEach((name, pool) -> notNegative(errors, "offload.pools[" + name + "].stallThreshold",
					"bridge.offload.pools." + name + ".stall-threshold", pool.getStallThreshold()));
		notNegative(errors, "shutdown.timeout", "bridge.shutdown.timeout", properties.getShutdown().getTimeout());
		positive(errors, "health.lagDownThreshold", "bridge.health.lag-down-threshold",
				properties.getHealth().getLagDownThreshold());
	}

	private static void validatePool(Errors errors, String path, String key, @Nullable ThreadMode threads,
			@Nullable Integer maxConcurrency, @Nullable Integer queueCapacity, @Nullable Duration timeout) {
		if (threads == ThreadMode.VIRTUAL && !ThreadMode.virtualThreadsAvailable()) {
			errors.rejectValue(path + "threads", "unsupported",
					key + "threads is virtual, but this JVM (Java " + Runtime.version().feature()
							+ ") has no virtual threads; use auto or platform, or run on Java 21+");
		}
		if (maxConcurrency != null && maxConcurrency <= 0) {
			errors.rejectValue(path + "maxConcurrency", "positive",
					key + "max-concurrency must be positive but was " + maxConcurrency);
		}
		if (queueCapacity != null && queueCapacity < 0) {
			errors.rejectValue(path + "queueCapacity", "negative",
					key + "queue-capacity must not be negative but was " + queueCapacity);
		}
		notNegative(errors, path + "timeout", key + "timeout", timeout);
	}

	private static void positive(Errors errors, String path, String key, Duration value) {
		if (value.isNegative() || value.isZero()) {
			errors.rejectValue(path, "positive", key + " must be positive but was " + value);
		}
	}

	private static void notNegative(Errors errors, String path, String key, @Nullable Duration value) {
		if (value != null && value.isNegative()) {
			errors.rejectValue(path, "negative", key + " must not be negative but was " + value);
		}
	}

	/**
	 * Settings of the loop runner.
	 */
	public static class Loop {

		/**
		 * Name prefix of the loop thread, which is named prefix-N.
		 */
		private String threadName = "bridge-loop";

		/**
		 * How long a synchronous caller waits for loop work before it fails.
		 */
		private Duration callTimeout = Duration.ofSeconds(30);

		/**
		 * How long one loop task may run before it is reported as a stall, with the
		 * loop's stack.
		 */
		private Duration stallThreshold = Duration.ofMillis(200);

		/**
		 * Period of the heartbeat that measures the loop's scheduling lag.
		 */
		private Duration lagProbeInterval = Duration.ofMillis(500);

		public String getThreadName() {
			return this.threadName;
		}

		public void setThreadName(String threadName) {
			this.threadName = threadName;
		}

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public Duration getStallThreshold() {
			return this.stallThreshold;
		}

		public void setStallThreshold(Duration stallThreshold) {
			this.stallThreshold = stallThreshold;
		}

		public Duration getLagProbeInterval() {
			return this.lagProbeInterval;
		}

		public void setLagProbeInterval(Duration lagProbeInterval) {
			this.lagProbeInterval = lagProbeInterval;
		}

	}

	/**
	 * Settings of the offload pools: the default pool, and the values named pools inherit
	 * unless they override them.
	 */
	public static class Offload {

		/**
		 * Kind of thread the pools run blocking calls on: auto (virtual threads on Java
		 * 21+, platform threads below), virtual or platform.
		 */
		private ThreadMode threads = ThreadMode.AUTO;

		/**
		 * Maximum number of calls a pool runs at once.
		 */
		private int maxConcurrency = 256;

		/**
		 * Maximum number of calls a pool queues while all its slots are busy; beyond it
		 * calls are rejected at once.
		 */
		private int queueCapacity = 10_000;

		/**
		 * Upper bound of one call, queue wait included; 0 for none.
		 */
		private Duration timeout = Duration.ZERO;

		/**
		 * How long an offloaded call may run before it is logged once with its stack and
		 * method and counted in bridge.offload.stalls (it keeps running); 0 to turn the
		 * watchdog off.
		 */
		private Duration stallThreshold = Duration.ofSeconds(30);

		/**
		 * Whether virtual threads of the pools that block while pinned to their carrier
		 * are logged and counted in bridge.offload.pinned (Java 21+, through a JFR event
		 * stream; nothing is started on older JVMs).
		 */
		private boolean pinningDetection = true;

		/**
		 * Whether cancelling a call (or its timeout) interrupts the thread running it.
		 */
		private boolean interruptOnCancel = true;

		/**
		 * Named pools (bulkheads), each overriding any of threads, max-concurrency,
		 * queue-capacity and timeout.
		 */
		private final Map<String, Pool> pools = new LinkedHashMap<>();

		public ThreadMode getThreads() {
			return this.threads;
		}

		public void setThreads(ThreadMode threads) {
			this.threads = threads;
		}

		public int getMaxConcurrency() {
			return this.maxConcurrency;
		}

		public void setMaxConcurrency(int maxConcurrency) {
			this.maxConcurrency = maxConcurrency;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getStallThreshold() {
			return this.stallThreshold;
		}

		public void setStallThreshold(Duration stallThreshold) {
			this.stallThreshold = stallThreshold;
		}

		public boolean isPinningDetection() {
			return this.pinningDetection;
		}

		public void setPinningDetection(boolean pinningDetection) {
			this.pinningDetection = pinningDetection;
		}

		public boolean isInterruptOnCancel() {
			return this.interruptOnCancel;
		}

		public void setInterruptOnCancel(boolean interruptOnCancel) {
			this.interruptOnCancel = interruptOnCancel;
		}

		public Map<String, Pool> getPools() {
			return this.pools;
		}

	}

	/**
	 * Overrides of one named pool; an unset value is inherited from
	 * {@code bridge.offload}.
	 */
	public static class Pool {

		/**
		 * Kind of thread this pool runs blocking calls on.
		 */
		private @Nullable ThreadMode threads;

		/**
		 * Maximum number of calls this pool runs at once.
		 */
		private @Nullable Integer maxConcurrency;

		/**
		 * Maximum number of calls this pool queues while all its slots are busy.
		 */
		private @Nullable Integer queueCapacity;

		/**
		 * Upper bound of one call on this pool, queue wait included; 0 for none.
		 */
		private @Nullable Duration timeout;

		/**
		 * How long a call on this pool may run before it is logged and counted as a
		 * stall; 0 to turn the watchdog off for this pool.
		 */
		private @Nullable Duration stallThreshold;

		public @Nullable ThreadMode getThreads() {
			return this.threads;
		}

		public void setThreads(@Nullable ThreadMode threads) {
			this.threads = threads;
		}

		public @Nullable Integer getMaxConcurrency() {
			return this.maxConcurrency;
		}

		public void setMaxConcurrency(@Nullable Integer maxConcurrency) {
			this.maxConcurrency = maxConcurrency;
		}

		public @Nullable Integer getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(@Nullable Integer queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Duration getStallThreshold() {
			return this.stallThreshold;
		}

		public void setStallThreshold(@Nullable Duration stallThreshold) {
			this.stallThreshold = stallThreshold;
		}

	}

	/**
	 * Settings of the context carried from callers to the threads that run their work.
	 */
	public static class Context {

		/**
		 * Whether to carry the caller's context (Micrometer context-propagation:
		 * security, tracing, Reactor context) to the loop and the offload pools.
		 */
		private boolean propagation = true;

		/**
		 * Whether to carry the SLF4J MDC along with the rest of the context.
		 */
		private boolean mdc = true;

		public boolean isPropagation() {
			return this.propagation;
		}

		public void setPropagation(boolean propagation) {
			this.propagation = propagation;
		}

		public boolean isMdc() {
			return this.mdc;
		}

		public void setMdc(boolean mdc) {
			this.mdc = mdc;
		}

	}

	/**
	 * Settings of the graceful shutdown.
	 */
	public static class Shutdown {

		/**
		 * How long in-flight loop and offload work may run on at shutdown before it is
		 * cancelled.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Settings of the {@code bridge} health indicator.
	 */
	public static class Health {

		/**
		 * Loop lag (or age of the running loop task) above which the health indicator
		 * reports DOWN.
		 */
		private Duration lagDownThreshold = Duration.ofSeconds(2);

		public Duration getLagDownThreshold() {
			return this.lagDownThreshold;
		}

		public void setLagDownThreshold(Duration lagDownThreshold) {
			this.lagDownThreshold = lagDownThreshold;
		}

	}

}
