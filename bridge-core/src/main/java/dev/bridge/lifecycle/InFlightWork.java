/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The work a {@link GracefulShutdown} component has accepted and not yet finished, and
 * the gate that stops accepting more: the bookkeeping behind "refuse, drain, cancel the
 * rest".
 * <p>
 * {@link #add} and {@link #stopAccepting()} exclude each other (adds share a read lock,
 * the stop takes the write lock), so work added concurrently with the start of a shutdown
 * is either refused or counted in {@link #inFlightAtShutdown()} and seen by
 * {@link #awaitDrained(long)}, never lost and never counted twice. Thread-safe.
 *
 * @param <W> the type of a unit of work
 * @since 0.1.0
 */
public final class InFlightWork<W> {

	private final Set<W> work = ConcurrentHashMap.newKeySet();

	private final Object drained = new Object();

	private final ReadWriteLock gate = new ReentrantReadWriteLock();

	private volatile boolean accepting = true;

	private volatile int atShutdown;

	/**
	 * Records {@code unit} as accepted, unless shutdown has begun.
	 * @param unit the work
	 * @return whether it was accepted; when not, the caller must refuse it
	 */
	public boolean add(W unit) {
		this.gate.readLock().lock();
		try {
			return this.accepting && this.work.add(unit);
		}
		finally {
			this.gate.readLock().unlock();
		}
	}

	/**
	 * Records {@code unit} as finished, however it ended.
	 * @param unit the work
	 * @return whether it was in flight (false when it had been removed already)
	 */
	public boolean remove(W unit) {
		boolean removed = this.work.remove(unit);
		if (removed && !this.accepting && this.work.isEmpty()) {
			synchronized (this.drained) {
				this.drained.notifyAll();
			}
		}
		return removed;
	}

	/**
	 * How many units are in flight.
	 * @return the count
	 */
	public int size() {
		return this.work.size();
	}

	/**
	 * Whether new work is still accepted.
	 * @return {@code false} once {@link #stopAccepting()} was called
	 */
	public boolean accepting() {
		return this.accepting;
	}

	/**
	 * Refuses all later {@link #add}s and remembers how much work was in flight.
	 * Idempotent.
	 */
	public void stopAccepting() {
		this.gate.writeLock().lock();
		try {
			if (this.accepting) {
				this.accepting = false;
				this.atShutdown = this.work.size();
			}
		}
		finally {
			this.gate.writeLock().unlock();
		}
	}

	/**
	 * How much work was in flight when {@link #stopAccepting()} was first called.
	 * @return the count, zero before shutdown
	 */
	public int inFlightAtShutdown() {
		return this.atShutdown;
	}

	/**
	 * Waits until no work is in flight or {@code deadline} passes (or the thread is
	 * interrupted), after {@link #stopAccepting()}.
	 * @param deadline a {@link System#nanoTime()} deadline
	 * @return the work still in flight, in no particular order
	 */
	public List<W> awaitDrained(long deadline) {
		synchronized (this.drained) {
			while (!this.work.isEmpty()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					break;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.drained, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		return new ArrayList<>(this.work);
	}

}
