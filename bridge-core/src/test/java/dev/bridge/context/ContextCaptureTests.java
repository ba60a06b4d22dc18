/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.context;

import java.util.concurrent.Callable;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;

class ContextCaptureTests {

	private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

	private final ContextRegistry registry = new ContextRegistry().registerThreadLocalAccessor(new TenantAccessor())
		.registerContextAccessor(new reactor.util.context.ReactorContextAccessor());

	@Test
	void capturedValueIsRestoredAroundTheTaskAndThePreviousValueAfterIt() throws Exception {
		ContextCapture capture = ContextCapture.of(this.registry, false);
		TENANT.set("caller");
		Callable<String> task = capture.wrap(TENANT::get);
		TENANT.set("worker");
		try {
			assertThat(task.call()).isEqualTo("caller");
			assertThat(TENANT.get()).isEqualTo("worker");
		}
		finally {
			TENANT.remove();
		}
	}

	@Test
	void aValueTheCallerLacksIsClearedWhileTheTaskRuns() throws Exception {
		ContextCapture capture = ContextCapture.of(this.registry, false);
		Callable<String> task = capture.wrap(TENANT::get);
		TENANT.set("left over from another task");
		try {
			assertThat(task.call()).isNull();
		}
		finally {
			TENANT.remove();
		}
	}

	@Test
	void valuesComeFromAReactorContextToo() throws Exception {
		ContextCapture capture = ContextCapture.of(this.registry, false);
		Callable<String> task = capture.wrap(TENANT::get, Context.of(TenantAccessor.KEY, "from-reactor"));
		assertThat(task.call()).isEqualTo("from-reactor");
	}

	@Test
	void noneCapturesNothing() throws Exception {
		Callable<String> task = () -> "same";
		assertThat(ContextCapture.none().wrap(task)).isSameAs(task);
	}

	static final class TenantAccessor implements ThreadLocalAccessor<String> {

		static final String KEY = "test.tenant";

		@Override
		public Object key() {
			return KEY;
		}

		@Override
		public String getValue() {
			return TENANT.get();
		}

		@Override
		public void setValue(String value) {
			TENANT.set(value);
		}

		@Override
		public void setValue() {
			TENANT.remove();
		}

	}

}
