/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The loop runner's lifecycle and the work it has accepted and not yet seen finish.
 * Everything that decides what happens to new work (running, paused, shut down), how much
 * work is in flight, and the work held while paused, is one immutable {@link State}
 * swapped by compare-and-set, so every transition is one {@code compareAndSet} in this
 * class. Each unit of work also moves through its own small state (new, held, dispatched,
 * ended), so a unit that ends while a resume or a shutdown moves it is counted once and
 * never left tracked. Thread-safe and lock-free except for {@link #awaitDrained} and
 * {@link #awaitQuiescence}, which wait on a monitor.
 */
final class LoopGate {

	/** What the gate does with new work. */
	enum Phase {

		/** New work is admitted and dispatched at once. */
		RUNNING,

		/** New work is admitted and held until {@link LoopGate#resume()}. */
		PAUSED,

		/** New work is refused, for good. */
		SHUT_DOWN

	}

	/** What {@link #admit} did with a unit of work. */
	enum Admission {

		/** Tracked as in flight: the caller dispatches it now. */
		DISPATCH,

		/** Held: dispatched when the gate resumes, or taken by the shutdown. */
		HELD,

		/** Refused: the gate is shut down. */
		REFUSED

	}

	private static final int NEW = 0;

	private static final int HELD = 1;

	private static final int DISPATCHED = 2;

	private static final int ENDED = 3;

	private static final VarHandle UNIT_STATE;

	static {
		try {
			UNIT_STATE = MethodHandles.lookup().findVarHandle(TrackedWork.class, "gateState", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final AtomicReference<State> state = new AtomicReference<>(State.INITIAL);

	/** The dispatched units, for the shutdown to cancel what is left of them. */
	private final Set<TrackedWork> dispatched = ConcurrentHashMap.newKeySet();

	private final Object quiet = new Object();

	/**
	 * Threads in {@link #awaitDrained} or {@link #awaitQuiescence}; written under
	 * {@link #quiet}.
	 */
	private volatile int waiters;

	/**
	 * The units dispatched when the gate was last paused, for {@link #awaitQuiescence};
	 * {@code null} before the first pause.
	 */
	private volatile @Nullable Set<TrackedWork> atPause;

	/**
	 * Resumes between moving the held units to in flight and adding them all to
	 * {@link #dispatched}: {@link #awaitDrained} waits for them, so that it returns every
	 * unit counted in flight.
	 */
	private final AtomicInteger resuming = new AtomicInteger();

	/**
	 * Admits {@code unit}: counts it as in flight when running, holds it with
	 * {@code dispatch} when paused, refuses it when shut down.
	 * @param unit new work, not seen by this gate before
	 * @param dispatch what starts the unit if it is held and the gate resumes; must not
	 * throw
	 * @return what the caller does next
	 */
	Admission admit(TrackedWork unit, Runnable dispatch) {
		boolean listed = false;
		while (true) {
			State current = this.state.get();
			switch (current.phase) {
				case SHUT_DOWN:
					if (listed) {
						this.dispatched.remove(unit);
					}
					return Admission.REFUSED;
				case PAUSED:
					if (listed) {
						this.dispatched.remove(unit);
						listed = false;
					}
					// A unit that ended while being admitted (a timer cancelled it) is
					// reported held, and is neither held nor dispatched: nothing is left.
					if (!UNIT_STATE.compareAndSet(unit, NEW, HELD)) {
						return Admission.HELD;
					}
					if (this.state.compareAndSet(current, current.hold(unit, dispatch))) {
						// An end between the two CASes found it not held yet: drop it.
						if ((int) UNIT_STATE.getVolatile(unit) == ENDED) {
							drop(unit);
						}
						return Admission.HELD;
					}
					if (!UNIT_STATE.compareAndSet(unit, HELD, NEW)) {
						return Admission.HELD;
					}
					break;
				default:
					// Listed before it is counted, so that a shutdown counting it finds
					// it too (awaitDrained waits while it is listed and still new).
					if (!listed) {
						this.dispatched.add(unit);
						listed = true;
					}
					if (this.state.compareAndSet(current, current.withInFlight(1))) {
						if (!UNIT_STATE.compareAndSet(unit, NEW, DISPATCHED)) {
							// It ended (a timer cancelled it) while being admitted.
							untrack(unit);
						}
						return Admission.DISPATCH;
					}
			}
		}
	}

	/**
	 * Records {@code unit} as finished, however it ended; held work cancelled before it
	 * was dispatched included. Idempotent.
	 * @param unit the work
	 */
	void remove(TrackedWork unit) {
		int previous = (int) UNIT_STATE.getAndSet(unit, ENDED);
		if (previous == DISPATCHED) {
			untrack(unit);
		}
		else if (previous == HELD) {
			// Still held: drop it. Otherwise a resume took it (and drops it when it finds
			// it ended) or the shutdown did (and cancels it), or its admission has not
			// held it yet (and drops it when it finds it ended).
			drop(unit);
		}
	}

	/** Releases the ended {@code unit} from the held work, if it is there. */
	private void drop(TrackedWork unit) {
		State current;
		do {
			current = this.state.get();
		}
		while (current.holds(unit) && !this.state.compareAndSet(current, current.release(unit)));
	}

	private void untrack(TrackedWork unit) {
		if (!this.dispatched.remove(unit)) {
			return;
		}
		State after = this.state.updateAndGet((current) -> current.withInFlight(-1));
		// Whatever the phase: a resume may have come after the waiter paused. The waiter
		// counts itself before it reads the state, this reads the count after its CAS, so
		// one of the two sees the other.
		if (this.waiters != 0) {
			synchronized (this.quiet) {
				this.quiet.notifyAll();
			}
		}
	}

	/**
	 * Holds new work from now on, until {@link #resume()}. Work in flight goes on.
	 * @return whether this call paused the gate (false when it was paused or shut down)
	 */
	boolean pause() {
		State current;
		do {
			current = this.state.get();
			if (current.phase != Phase.RUNNING) {
				return false;
			}
		}
		while (!this.state.compareAndSet(current, current.withPhase(Phase.PAUSED)));
		// Every unit counted before the pause is listed already (a unit is listed before
		// it is counted); a listed one that is held instead leaves the list.
		this.atPause = Set.copyOf(this.dispatched);
		return true;
	}

	/**
	 * Dispatches new work again, and the work held while paused, in the order it was
	 * admitted, on the calling thread; held work that ended meanwhile is dropped.
	 * @return how many held units were dispatched; zero when the gate was not paused
	 */
	int resume() {
		State current;
		List<Held> entries;
		this.resuming.incrementAndGet();
		try {
			do {
				current = this.state.get();
				if (current.phase != Phase.PAUSED) {
					return 0;
				}
			}
			while (!this.state.compareAndSet(current,
					new State(Phase.RUNNING, current.inFlight + current.heldCount, null, 0, current.atShutdown)));
			// All listed before any is dispatched: a shutdown beginning now is handed
			// every one of them, and cancels those not dispatched yet.
			entries = current.heldInOrder();
			for (Held entry : entries) {
				this.dispatched.add(entry.unit);
			}
		}
		finally {
			this.resuming.decrementAndGet();
		}
		int started = 0;
		for (Held entry : entries) {
			if (UNIT_STATE.compareAndSet(entry.unit, HELD, DISPATCHED)) {
				entry.dispatch.run();
				started++;
			}
			else {
				untrack(entry.unit);
			}
		}
		return started;
	}

	/**
	 * Refuses all later {@link #admit}s, for good, and remembers how much work was in
	 * flight or held. Idempotent.
	 */
	void stopAccepting() {
		State current;
		do {
			current = this.state.get();
			if (current.phase == Phase.SHUT_DOWN) {
				return;
			}
		}
		while (!this.state.compareAndSet(current, new State(Phase.SHUT_DOWN, current.inFlight, current.held,
				current.heldCount, current.inFlight + current.heldCount)));
		synchronized (this.quiet) {
			this.quiet.notifyAll();
		}
	}

	/**
	 * Takes the work held while paused, which never started, for the shutdown to cancel.
	 * @return the held units, oldest first; none after the first call
	 */
	List<TrackedWork> takeHeld() {
		State current;
		do {
			current = this.state.get();
			if (current.held == null) {
				return new ArrayList<>();
			}
		}
		while (!this.state.compareAndSet(current,
				new State(current.phase, current.inFlight, null, 0, current.atShutdown)));
		List<TrackedWork> units = new ArrayList<>();
		for (Held entry : current.heldInOrder()) {
			if (UNIT_STATE.compareAndSet(entry.unit, HELD, ENDED)) {
				units.add(entry.unit);
			}
		}
		return units;
	}

	/**
	 * Waits until the units dispatched when the gate was last paused have finished, or
	 * {@code deadline} passes (or the thread is interrupted): units dispatched after a
	 * resume are not waited for. Before any pause, waits for the units dispatched now.
	 * @param deadline a {@link System#nanoTime()} deadline
	 * @return how many of those units are still in flight
	 */
	int awaitQuiescence(long deadline) {
		Set<TrackedWork> paused = this.atPause;
		List<TrackedWork> watched = new ArrayList<>((paused != null) ? paused : this.dispatched);
		awaitUntil(() -> {
			watched.removeIf((unit) -> !this.dispatched.contains(unit));
			return watched.isEmpty();
		}, deadline);
		if (paused != null && this.atPause == paused) {
			// Forget the units that ended, so they are not kept until the next pause,
			// as the pools' gate does.
			this.atPause = Set.copyOf(watched);
		}
		return watched.size();
	}

	/**
	 * Waits until no dispatched work is in flight or {@code deadline} passes (or the
	 * thread is interrupted). Held work is not waited for: it has not started.
	 * @param deadline a {@link System#nanoTime()} deadline
	 * @return the work still in flight, in no particular order: every unit counted in
	 * flight, dispatched or being dispatched by a resume
	 */
	List<TrackedWork> awaitDrained(long deadline) {
		awaitUntil(() -> this.state.get().inFlight == 0, deadline);
		// A resume lists what it moved to in flight at once; an admission lists its unit
		// before counting it and marks it dispatched (or unlists it) right after.
		while (this.resuming.get() != 0) {
			Thread.yield();
		}
		List<TrackedWork> left = new ArrayList<>();
		for (TrackedWork unit : this.dispatched) {
			while ((int) UNIT_STATE.getVolatile(unit) == NEW && this.dispatched.contains(unit)) {
				Thread.yield();
			}
			if (this.dispatched.contains(unit)) {
				left.add(unit);
			}
		}
		return left;
	}

	/**
	 * Waits on the monitor until {@code done} holds (checked under it, after each
	 * wake-up), {@code deadline} passes or the thread is interrupted. Counted as a
	 * waiter, so that every end wakes it ({@link #untrack}).
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

	Phase phase() {
		return this.state.get().phase;
	}

	/** Units in flight or held. */
	int size() {
		State current = this.state.get();
		return current.inFlight + current.heldCount;
	}

	/** Units held while paused. */
	int held() {
		return this.state.get().heldCount;
	}

	/** Units in flight or held when the shutdown began; zero before. */
	int inFlightAtShutdown() {
		return this.state.get().atShutdown;
	}

	/**
	 * The gate at one moment: its phase, the units dispatched and not yet finished, the
	 * units held while paused (newest first), and the count at shutdown.
	 */
	private record State(Phase phase, int inFlight, @Nullable Held held, int heldCount, int atShutdown) {

		static final State INITIAL = new State(Phase.RUNNING, 0, null, 0, 0);

		State withInFlight(int delta) {
			return new State(this.phase, this.inFlight + delta, this.held, this.heldCount, this.atShutdown);
		}

		State withPhase(Phase next) {
			return new State(next, this.inFlight, this.held, this.heldCount, this.atShutdown);
		}

		State hold(TrackedWork unit, Runnable dispatch) {
			return new State(this.phase, this.inFlight, new Held(unit, dispatch, this.held), this.heldCount + 1,
					this.atShutdown);
		}

		boolean holds(TrackedWork unit) {
			for (Held entry = this.held; entry != null; entry = entry.next) {
				if (entry.unit == unit) {
					return true;
				}
			}
			return false;
		}

		/** This state without {@code unit} among the held, which it must hold. */
		State release(TrackedWork unit) {
			Held kept = null;
			for (Held entry : heldInOrder()) {
				if (entry.unit != unit) {
					kept = new Held(entry.unit, entry.dispatch, kept);
				}
			}
			return new State(this.phase, this.inFlight, kept, this.heldCount - 1, this.atShutdown);
		}

		/** The held units, oldest first. */
		List<Held> heldInOrder() {
			List<Held> entries = new ArrayList<>(this.heldCount);
			for (Held entry = this.held; entry != null; entry = entry.next) {
				entries.add(entry);
			}
			Collections.reverse(entries);
			return entries;
		}

	}

	/** One held unit and what dispatches it, linked to the one held before it. */
	private record Held(TrackedWork unit, Runnable dispatch, @Nullable Held next) {
	}

}
