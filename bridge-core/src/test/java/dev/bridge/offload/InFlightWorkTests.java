/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.List;

import dev.bridge.lifecycle.WorkGateContract;

/**
 * {@link InFlightWork}, the pools' gate, against the contract it shares with the loop's.
 */
class InFlightWorkTests extends WorkGateContract<InFlightWork<InFlightWorkTests.Unit>, InFlightWorkTests.Unit> {

	@Override
	protected InFlightWork<Unit> newGate() {
		return new InFlightWork<>();
	}

	@Override
	protected Unit unit(String name) {
		return new Unit(name);
	}

	@Override
	protected String admit(InFlightWork<Unit> gate, Unit unit, Runnable dispatch) {
		return gate.admit(unit, dispatch).name();
	}

	@Override
	protected void remove(InFlightWork<Unit> gate, Unit unit) {
		gate.remove(unit);
	}

	@Override
	protected boolean pause(InFlightWork<Unit> gate) {
		return gate.pause();
	}

	@Override
	protected int resume(InFlightWork<Unit> gate) {
		return gate.resume();
	}

	@Override
	protected void stopAccepting(InFlightWork<Unit> gate) {
		gate.stopAccepting();
	}

	@Override
	protected List<Unit> takeHeld(InFlightWork<Unit> gate) {
		return gate.takeHeld();
	}

	@Override
	protected List<Unit> awaitDrained(InFlightWork<Unit> gate, long deadline) {
		return gate.awaitDrained(deadline);
	}

	@Override
	protected int size(InFlightWork<Unit> gate) {
		return gate.size();
	}

	@Override
	protected int held(InFlightWork<Unit> gate) {
		return gate.held();
	}

	@Override
	protected int inFlightAtShutdown(InFlightWork<Unit> gate) {
		return gate.inFlightAtShutdown();
	}

	@Override
	protected String phase(InFlightWork<Unit> gate) {
		return gate.state().name();
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
