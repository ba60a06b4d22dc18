/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.List;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.slf4j.MDC;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderThreadLocalAccessor;

/**
 * The context of a typical request on the calling thread: two MDC entries, an
 * authenticated Spring Security context and an open Observation scope, with the accessors
 * that let Micrometer's {@link ContextRegistry} capture the last two. Not thread-safe:
 * one instance belongs to the thread that entered it.
 */
final class RequestContext implements AutoCloseable {

	static final int COMPLETE = 0b111;

	private static final ObservationRegistry observations = observationRegistry();

	private final Observation observation;

	private final Observation.Scope scope;

	private RequestContext(Observation observation, Observation.Scope scope) {
		this.observation = observation;
		this.scope = scope;
	}

	/**
	 * Makes sure the global {@link ContextRegistry} has the security and observation
	 * accessors (their jars register them through the service loader; this covers a class
	 * path that lost those files) and points the observation accessor at this class's
	 * registry. Idempotent.
	 */
	static synchronized void registerAccessors() {
		ContextRegistry registry = ContextRegistry.getInstance();
		register(registry, new SecurityContextHolderThreadLocalAccessor());
		register(registry, new ObservationThreadLocalAccessor());
		ObservationThreadLocalAccessor.getInstance().setObservationRegistry(observations);
	}

	private static void register(ContextRegistry registry, ThreadLocalAccessor<?> accessor) {
		if (registry.getThreadLocalAccessors().stream().noneMatch((known) -> known.key().equals(accessor.key()))) {
			registry.registerThreadLocalAccessor(accessor);
		}
	}

	/**
	 * Puts a request's context on the calling thread.
	 * @return the context, to close on the same thread
	 */
	static RequestContext enter() {
		registerAccessors();
		MDC.put("requestId", "r-0042");
		MDC.put("user", "alice");
		SecurityContext security = SecurityContextHolder.createEmptyContext();
		security.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", "n/a", List.of()));
		SecurityContextHolder.setContext(security);
		Observation observation = Observation.start("bridge.benchmark.request", observations);
		return new RequestContext(observation, observation.openScope());
	}

	/**
	 * Which parts of a request context the calling thread sees, one bit each: MDC,
	 * authentication, observation.
	 * @return the bits, {@link #COMPLETE} when all three are there
	 */
	static int read() {
		int seen = (MDC.get("requestId") != null) ? 1 : 0;
		seen |= (SecurityContextHolder.getContext().getAuthentication() != null) ? 2 : 0;
		seen |= (observations.getCurrentObservation() != null) ? 4 : 0;
		return seen;
	}

	/**
	 * Like {@link #read()}, but fails unless all three parts are there.
	 * @return {@link #COMPLETE}
	 */
	static int requireComplete() {
		int seen = read();
		if (seen != COMPLETE) {
			throw new IllegalStateException("context lost on " + Thread.currentThread().getName() + ": saw parts 0b"
					+ Integer.toBinaryString(seen) + " of 0b111 (MDC, security, observation)");
		}
		return seen;
	}

	@Override
	public void close() {
		this.scope.close();
		this.observation.stop();
		SecurityContextHolder.clearContext();
		MDC.clear();
	}

	private static ObservationRegistry observationRegistry() {
		ObservationRegistry registry = ObservationRegistry.create();
		// Without a handler every observation is a no-op and nothing would be carried.
		registry.observationConfig().observationHandler((context) -> true);
		return registry;
	}

}
