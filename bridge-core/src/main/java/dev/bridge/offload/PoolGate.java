/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The work an offload pool has accepted and not yet finished, and the gate in front of
 * it: the bookkeeping behind "pause, resume" and "refuse, drain, cancel the rest".
 * <p>
 * The gate is {@link Phase#RUNNING running} (work is admitted and dispatched at once),
 * {@link Phase#PAUSED paused} (work is admitted but held, and dispatched when
 * {@link #resume()} is called) or {@link Phase#SHUT_DOWN shut down} (work is refused, for
 * good). {@link #admit} and the phase changes exclude each other (admissions share a read
 * lock, phase changes take the write lock), so work admitted concurrently with a pause, a
 * resume or the start of a shutdown is dispatched, held or refused exactly once, never
 * lost and never counted twice. Thread-safe.
 * <p>
 * The loop runner's gate ({@code dev.bridge.loop.LoopGate}) keeps the same books in one
 * state moved by compare-and-set; both gates pass one contract (the tests'
 * {@code WorkGateContract}). They are two classes because each is package-private to the
 * package it serves, and a shared one would have to be public.
 *
 * @param <W> the type of a unit of work
 */
final class PoolGate<W> {

	/**
	 * What the gate does with new work.
	 */
	enum Phase {

		/** New work is admitted and dispatched at once. */
		RUNNING,

		/** New work is admitted and held until {@link PoolGate#resume()}. */
		PAUSED,

		/** New work is refused, for good. */
		SHUT_DOWN

	}

	/**
	 * What {@link #admit} did with a unit of work.
	 */
	enum Admission {

		/** Tracked as in flight: the caller dispatches it now. */
		DISPATCH,

		/**
		 * Held: its dispatch runs when the gate is resumed, or it is cancelled at
		 * shutdown.
		 */
		HELD,

		/** Refused: the gate is shut down, and the caller must refuse the work. */
		REFUSED

	}

	/** Work dispatched and not yet finished. */
	private final Set<W> work = ConcurrentHashMap.newKeySet();

	/** Work admitted while paused, in admission order, with what dispatches it. */
	private final Queue<Held<W>> held = new ConcurrentLinkedQueue<>();

	private final Object quiet = new Object();

	/** Threads in {@link #awaitDrained}; written under {@link #quiet}. */
	private volatile int waiters;

	private final ReadWriteLock gate = new ReentrantReadWriteLock();

	private volatile Phase phase = Phase.RUNNING;

	/**
	 * The work in flight or held when the gate was shut down, less the units refused
	 * after that ({@link #refuse}).
	 */
	private final AtomicInteger atShutdown = new AtomicInteger();

	/**
	 * The units in flight when the gate was last paused, for {@link #awaitQuiescence};
	 * {@code null} before the first pause. Never changed once published: pruned by
	 * replacement.
	 */
	private final AtomicReference<@Nullable Set<W>> atPause = new AtomicReference<>();

	/**
	 * Admits {@code unit}: tracks it when running, holds it with {@code dispatch} when
	 * paused, refuses it when shut down.
	 * @param unit the work
	 * @param dispatch what starts the work once the gate is resumed; it must not throw (a
	 * failure to start is the unit's outcome)
	 * @return what the caller does next
	 */
	Admission admit(W unit, Runnable dispatch) {
		this.gate.readLock().lock();
		try {
			return switch (this.phase) {
				case RUNNING -> {
					this.work.add(unit);
					yield Admission.DISPATCH;
				}
				case PAUSED -> {
					this.held.add(new Held<>(unit, dispatch));
					yield Admission.HELD;
				}
				case SHUT_DOWN -> Admission.REFUSED;
			};
		}
		finally {
			this.gate.readLock().unlock();
		}
	}

	/**
	 * Records {@code unit} as finished, however it ended (held work that is cancelled
	 * before it was dispatched included).
	 * @param unit the work
	 * @return whether it was in flight or held (false when it had been removed already)
	 */
	boolean remove(W unit) {
		boolean removed = this.work.remove(unit);
		if (!removed) {
			// Held, or being moved from held to in flight by resume(): wait for that
			// move to end, so the unit is found where it is and cannot stay tracked.
			this.gate.readLock().lock();
			try {
				removed = this.work.remove(unit) || this.held.removeIf((entry) -> entry.unit == unit);
			}
			finally {
				this.gate.readLock().unlock();
			}
		}
		if (removed) {
			wakeWaiters();
		}
		return removed;
	}

	/**
	 * Forgets a unit that was admitted but is refused before it started (its pool is
	 * full): it never ran, so a shutdown that began meanwhile does not count it as in
	 * flight (drained).
	 * @param unit the work
	 * @return whether it was in flight
	 */
	boolean refuse(W unit) {
		boolean removed;
		this.gate.readLock().lock();
		try {
			// Under the read lock, the state cannot change meanwhile: shut down now means
			// a unit still in flight was counted when the gate was shut down. It is
			// uncounted before it leaves the set, so that a shutdown that sees the set
			// empty also sees the count without it.
			if (this.phase == Phase.SHUT_DOWN && this.work.contains(unit)) {
				this.atShutdown.decrementAndGet();
				removed = this.work.remove(unit);
				if (!removed) {
					this.atShutdown.incrementAndGet();
				}
			}
			else {
				removed = this.work.remove(unit);
			}
		}
		finally {
			this.gate.readLock().unlock();
		}
		if (removed) {
			wakeWaiters();
		}
		return removed;
	}

	/**
	 * Wakes the threads in {@link #awaitDrained} and {@link #awaitQuiescence} after a
	 * removal, whatever the state (a resume may have come after the waiter paused). A
	 * waiter counts itself before it reads the set, this reads the count after the
	 * removal, so one of the two sees the other.
	 */
	private void wakeWaiters() {
		if (this.waiters != 0) {
			synchronized (this.quiet) {
				this.quiet.notifyAll();
			}
		}
	}

	/**
	 * How many units are in flight or held.
	 * @return the count
	 */
	int size() {
		return this.work.size() + this.held.size();
	}

	/**
	 * Runs {@code action} for each dispatched unit not yet finished (held ones excluded),
	 * without blocking admissions; units admitted or finished meanwhile may or may not be
	 * seen.
	 * @param action what to do with each unit
	 */
	void forEachInFlight(Consumer<? super W> action) {
		this.work.forEach(action);
	}

	/**
	 * How many units are held while paused.
	 * @return the count
	 */
	int held() {
		return this.held.size();
	}

	/**
	 * What the gate does with new work now.
	 * @return the phase
	 */
	Phase phase() {
		return this.phase;
	}

	/**
	 * Holds new work from now on, until {@link #resume()}. Work in flight goes on.
	 * @return whether this call paused the gate (false when it was paused or shut down)
	 */
	boolean pause() {
		this.gate.writeLock().lock();
		try {
			if (this.phase != Phase.RUNNING) {
				return false;
			}
			this.phase = Phase.PAUSED;
			// Admissions are excluded: these are all the units dispatched before the
			// pause. (One that ends meanwhile may be copied: awaitQuiescence skips it.)
			this.atPause.set(Set.copyOf(this.work));
			return true;
		}
		finally {
			this.gate.writeLock().unlock();
		}
	}

	/**
	 * Dispatches new work again, and dispatches the work held while paused, in the order
	 * it was admitted, on the calling thread.
	 * @return how many held units were dispatched; zero when the gate was not paused
	 */
	int resume() {
		List<Held<W>> released = new ArrayList<>();
		this.gate.writeLock().lock();
		try {
			if (this.phase != Phase.PAUSED) {
				return 0;
			}
			this.phase = Phase.RUNNING;
			Held<W> next;
			while ((next = this.held.poll()) != null) {
				this.work.add(next.unit);
				released.add(next);
			}
		}
		finally {
			this.gate.writeLock().unlock();
		}
		released.forEach((entry) -> entry.dispatch.run());
		return released.size();
	}

	/**
	 * Refuses all later {@link #admit}s, for good, and remembers how much work was in
	 * flight or held. Idempotent.
	 */
	void stopAccepting() {
		this.gate.writeLock().lock();
		try {
			if (this.phase != Phase.SHUT_DOWN) {
				this.phase = Phase.SHUT_DOWN;
				this.atShutdown.set(this.work.size() + this.held.size());
			}
		}
		finally {
			this.gate.writeLock().unlock();
		}
		synchronized (this.quiet) {
			this.quiet.notifyAll();
		}
	}

	/**
	 * Takes the work held while paused, which never started, for a shutdown to cancel.
	 * @return the held units, oldest first; none after the first call
	 */
	List<W> takeHeld() {
		List<W> units = new ArrayList<>();
		Held<W> next;
		while ((next = this.held.poll()) != null) {
			units.add(next.unit);
		}
		return units;
	}

	/**
	 * How much work was in flight or held when {@link #stopAccepting()} was first called.
	 * @return the count, zero before shutdown
	 */
	int inFlightAtShutdown() {
		return this.atShutdown.get();
	}

	/**
	 * Waits until the units that were in flight when the gate was last paused have
	 * finished, or {@code deadline} passes (or the thread is interrupted): units
	 * dispatched after a resume are not waited for. Before any pause, waits for the units
	 * in flight now.
	 * @param deadline a {@link System#nanoTime()} deadline
	 * @return the units of the pause still in flight, in no particular order
	 */
	List<W> awaitQuiescence(long deadline) {
		Set<W> paused = this.atPause.get();
		List<W> watched = new ArrayList<>((paused != null) ? paused : this.work);
		awaitUntil(() -> {
			watched.removeIf((unit) -> !this.work.contains(unit));
			return watched.isEmpty();
		}, deadline);
		if (paused != null) {
			// Forget the units that ended, so they are not kept until the next pause.
			this.atPause.compareAndSet(paused, Set.copyOf(watched));
		}
		return watched;
	}

	/**
	 * Waits until none of {@code units} is tracked any more, or {@code deadline} passes
	 * (or the thread is interrupted).
	 * @param units the units to see leave
	 * @param deadline a {@link System#nanoTime()} deadline
	 */
	void awaitGone(List<W> units, long deadline) {
		awaitUntil(() -> units.stream().noneMatch(this.work::contains), deadline);
	}

	/**
	 * Waits until no dispatched work is in flight or {@code deadline} passes (or the
	 * thread is interrupted), after {@link #pause()} or {@link #stopAccepting()}. Held
	 * work is not waited for: it has not started.
	 * @param deadline a {@link System#nanoTime()} deadline
	 * @return the dispatched work still in flight, in no particular order
	 */
	List<W> awaitDrained(long deadline) {
		awaitUntil(this.work::isEmpty, deadline);
		return new ArrayList<>(this.work);
	}

	/**
	 * Waits on the monitor until {@code done} holds (checked under it, after each
	 * wake-up), {@code deadline} passes or the thread is interrupted. Counted as a
	 * waiter, so that every removal wakes it.
	 */
	private void awaitUntil(BooleanSupplier done, long deadline) {
		synchronized (this.quiet) {
			this.waiters++;
			try {
				while (!done.getAsBoolean()) {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						return;
					}
					try {
						TimeUnit.NANOSECONDS.timedWait(this.quiet, remaining);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
			finally {
				this.waiters--;
			}
		}
	}

	private record Held<W>(W unit, Runnable dispatch) {
	}

}
