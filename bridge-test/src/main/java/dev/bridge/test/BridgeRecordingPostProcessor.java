/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Replaces every {@link Offloader} and {@link LoopRunner} bean with one that a
 * {@link BridgeRecorder} records, before any other bean (the aspects, the task executor,
 * the application's own) gets it injected.
 */
final class BridgeRecordingPostProcessor implements BeanPostProcessor {

	private final BridgeRecorder recorder;

	BridgeRecordingPostProcessor(BridgeRecorder recorder) {
		this.recorder = recorder;
	}

	BridgeRecorder recorder() {
		return this.recorder;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof Offloader offloader) {
			return this.recorder.record(offloader);
		}
		if (bean instanceof LoopRunner loop) {
			return this.recorder.record(loop);
		}
		return bean;
	}

}
