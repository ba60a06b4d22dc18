/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Virtual time for Bridge's timeouts: a Reactor {@link VirtualTimeScheduler} of Bridge's
 * own (Reactor's global schedulers are left alone) that times
 * <ul>
 * <li>per-call offload timeouts: {@code @OffloadBlocking(timeout = ..)},
 * {@code bridge.offload[.pools.<name>].timeout}, {@code Offloader.timeout(..)};
 * <li>synchronous waits for the loop: {@code bridge.loop.call-timeout},
 * {@code @RunOnLoop(timeout = ..)} on a synchronous method, {@code LoopRunner.run} and
 * {@code call}.
 * </ul>
 * A timeout of 30 s then fires when the test {@linkplain #advanceBy advances} the clock
 * by 30 s, in microseconds of real time. Not covered: the stall watchdog, the lag probe
 * and the waits for {@code LoopRunner.stream} items, which measure what real threads
 * really do (a loop is only stalled if its thread is really busy: to test a stall, lower
 * {@code bridge.loop.stall-threshold} and block the loop on a latch). Offload timeouts
 * fire only on the virtual clock; waits for the loop stay bounded in real time as well.
 * <p>
 * In a Spring Boot test, {@code @AutoConfigureBridgeTest(virtualTime = true)} makes a
 * {@code VirtualClock} bean and builds the application's offloader and loop runner on it.
 * Without Spring, pass {@link #scheduler()} to {@code Offloader.Builder.timer(..)} and
 * {@code LoopRunner.Builder.timer(..)}. Needs {@code io.projectreactor:reactor-test}.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class VirtualClock {

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private VirtualClock() {
	}

	/**
	 * A clock at virtual time zero.
	 * @return a new clock
	 */
	public static VirtualClock create() {
		return new VirtualClock();
	}

	/**
	 * The scheduler to build offloaders and loop runners with.
	 * @return the virtual-time scheduler
	 */
	public Scheduler scheduler() {
		return this.scheduler;
	}

	/**
	 * Moves virtual time forward, running every timeout that falls due on the calling
	 * thread, in order: a call whose timeout falls due is cancelled, and its caller has
	 * its timeout exception, before this method returns.
	 * @param duration how far to move, zero or positive
	 */
	public void advanceBy(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("virtual time only moves forward, but was asked to move " + duration);
		}
		this.scheduler.advanceTimeBy(duration);
	}

	/**
	 * How much virtual time has passed since the clock was made.
	 * @return the virtual time
	 */
	public Duration elapsed() {
		return Duration.ofNanos(this.scheduler.now(TimeUnit.NANOSECONDS));
	}

}
