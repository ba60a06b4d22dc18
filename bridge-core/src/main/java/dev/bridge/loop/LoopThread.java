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
		super(body, name);
		this.runner = runner;
	}

	LoopRunner runner() {
		return this.runner;
	}

}
