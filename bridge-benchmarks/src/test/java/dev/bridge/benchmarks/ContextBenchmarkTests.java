/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that {@link ContextBenchmark} measures what it claims: the propagating hop
 * carries all three parts of the request context to the loop, the plain hop none.
 */
class ContextBenchmarkTests {

	private final ContextBenchmark benchmark = new ContextBenchmark();

	private final ContextBenchmark.CallerContext caller = new ContextBenchmark.CallerContext();

	private final ContextBenchmark.PropagatingLoop propagating = new ContextBenchmark.PropagatingLoop();

	private final ContextBenchmark.PlainLoop plain = new ContextBenchmark.PlainLoop();

	@BeforeEach
	void setUp() {
		this.caller.enter();
		this.propagating.start();
		this.plain.start();
	}

	@AfterEach
	void tearDown() {
		this.plain.stop();
		this.propagating.stop();
		this.caller.leave();
	}

	@Test
	void propagatingHopCarriesMdcSecurityAndObservationToTheLoop() {
		assertThat(this.benchmark.loopHopWithContext(this.caller, this.propagating)).isEqualTo(RequestContext.COMPLETE);
	}

	@Test
	void plainHopCarriesNoneOfIt() {
		assertThat(this.benchmark.loopHopWithoutContext(this.caller, this.plain)).isEqualTo(0);
	}

	@Test
	void sameThreadVariantsSeeTheWholeContext() throws Exception {
		assertThat(this.benchmark.wrapAndRunWithContext(this.caller)).isEqualTo(RequestContext.COMPLETE);
		assertThat(this.benchmark.wrapAndRunWithoutContext(this.caller)).isEqualTo(RequestContext.COMPLETE);
	}

	@Test
	void theCopyingCaptureCarriesTheWholeContextAndLeavesTheCallersSecurityContextInstance() throws Exception {
		Object callers = SecurityContextHolder.getContext();
		assertThat(this.benchmark.wrapAndRunWithCopiedSecurityContext(this.caller)).isEqualTo(RequestContext.COMPLETE);
		assertThat(SecurityContextHolder.getContext()).isSameAs(callers);
	}

	@Test
	void rawLoopTasksRun() {
		assertThat(this.benchmark.rawLoopTaskWithContext(this.caller, this.propagating)).isTrue();
		assertThat(this.benchmark.rawLoopTaskWithoutContext(this.caller, this.plain)).isTrue();
	}

}
