/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import reactor.core.scheduler.NonBlocking;

/**
 * The loop's thread: a Reactor {@link NonBlocking} thread that knows its runner.
 */
final class LoopThread extends Thread implements NonBlocking {

	private final LoopRunner runner;

	LoopThread(LoopRunner runner, Runnable body, String name) {
		// Not inheriting: the loop serves every caller, not the one that created it.
		super(null, body, name, 0, false);
		this.runner = runner;
	}

	LoopRunner runner() {
		return this.runner;
	}

}
