/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.List;

import dev.bridge.lifecycle.WorkGateContract;

/**
 * {@link PoolGate}, the pools' gate, against the contract it shares with the loop's.
 */
class PoolGateTests extends WorkGateContract<PoolGate<PoolGateTests.Unit>, PoolGateTests.Unit> {

	@Override
	protected PoolGate<Unit> newGate() {
		return new PoolGate<>();
	}

	@Override
	protected Unit unit(String name) {
		return new Unit(name);
	}

	@Override
	protected String admit(PoolGate<Unit> gate, Unit unit, Runnable dispatch) {
		return gate.admit(unit, dispatch).name();
	}

	@Override
	protected void remove(PoolGate<Unit> gate, Unit unit) {
		gate.remove(unit);
	}

	@Override
	protected boolean pause(PoolGate<Unit> gate) {
		return gate.pause();
	}

	@Override
	protected int resume(PoolGate<Unit> gate) {
		return gate.resume();
	}

	@Override
	protected void stopAccepting(PoolGate<Unit> gate) {
		gate.stopAccepting();
	}

	@Override
	protected List<Unit> takeHeld(PoolGate<Unit> gate) {
		return gate.takeHeld();
	}

	@Override
	protected List<Unit> awaitDrained(PoolGate<Unit> gate, long deadline) {
		return gate.awaitDrained(deadline);
	}

	@Override
	protected int size(PoolGate<Unit> gate) {
		return gate.size();
	}

	@Override
	protected int held(PoolGate<Unit> gate) {
		return gate.held();
	}

	@Override
	protected int inFlightAtShutdown(PoolGate<Unit> gate) {
		return gate.inFlightAtShutdown();
	}

	@Override
	protected String phase(PoolGate<Unit> gate) {
		return gate.phase().name();
	}

	/** A unit of work: equal only to itself, as the pools' calls are. */
	static final class Unit {

		private final String name;

		Unit(String name) {
			this.name = name;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
