/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.util.concurrent.Executor;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Exposes {@code bridgeTaskExecutor} so that nothing finds it as "the"
 * {@code TaskExecutor}. Spring's {@code @Async} support,
 * {@code getBean(TaskExecutor.class)} and
 * {@code getBeanProvider(AsyncTaskExecutor.class)} pick the only bean of their type even
 * when it is not a default candidate, so an application whose own executor is a plain
 * {@link Executor} (which makes Boot's {@code applicationTaskExecutor} back off) would
 * have its {@code @Async} methods moved onto Bridge's pool. This factory declares its
 * product as a plain {@link Executor} only, which the bean is also declared not to be a
 * default candidate for, so:
 * <ul>
 * <li>lookups of {@code TaskExecutor} and {@code AsyncTaskExecutor} by type never see
 * it;</li>
 * <li>lookups of {@code Executor} by type (injection, {@code getBean},
 * {@code getBeanProvider}) take it only where no other executor exists at all;</li>
 * <li>{@code @Async("bridgeTaskExecutor")}, {@code @Qualifier("bridgeTaskExecutor")}
 * injection of an {@code Executor}, and {@code getBean("bridgeTaskExecutor", type)} for
 * any type the executor has ({@code AsyncTaskExecutor} included) still reach it.</li>
 * </ul>
 * Thread-safe.
 */
final class NamedOnlyExecutorFactoryBean implements FactoryBean<Executor> {

	private final AsyncTaskExecutor executor;

	NamedOnlyExecutorFactoryBean(AsyncTaskExecutor executor) {
		this.executor = executor;
	}

	@Override
	public Executor getObject() {
		return this.executor;
	}

	@Override
	public Class<?> getObjectType() {
		return Executor.class;
	}

	@Override
	public String toString() {
		return "NamedOnlyExecutorFactoryBean[" + this.executor + "]";
	}

}
