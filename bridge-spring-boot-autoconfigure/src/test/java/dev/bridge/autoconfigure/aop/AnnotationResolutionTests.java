/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AliasFor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bridge finds its annotations where Spring finds {@code @Async} and
 * {@code @Transactional}: composed annotations, interface methods and interface types,
 * overridden superclass methods, subclasses of annotated classes, generic (bridged)
 * methods, beans that are themselves proxies without a target; with class-based and
 * interface-based proxies alike. What it still cannot route fails startup.
 */
class AnnotationResolutionTests {

	private static final String JDBC = "bridge-offload-jdbc-";

	private static final String DEFAULT = "bridge-offload-default-";

	private static final String LOOP = "bridge-loop-";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class, AopAutoConfiguration.class,
				BridgeAutoConfiguration.class, BridgeAspectsAutoConfiguration.class))
		.withPropertyValues("bridge.offload.pools.jdbc.max-concurrency=2");

	@ParameterizedTest(name = "proxy-target-class={0}")
	@ValueSource(booleans = { true, false })
	void routesEveryShapeSpringRoutesForAsync(boolean proxyTargetClass) {
		this.contextRunner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass)
			.withUserConfiguration(Shapes.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(thread(context.getBean(ComposedOnMethod.class).find())).startsWith(JDBC);
				assertThat(thread(context.getBean(ComposedOnMethod.class).aliased())).startsWith(JDBC);
				assertThat(thread(context.getBean(ComposedOnClass.class).find())).startsWith(JDBC);
				assertThat(context.getBean(ComposedLoop.class).where()).startsWith(LOOP);
				assertThat(thread(context.getBean(InterfaceMethodApi.class).find())).startsWith(JDBC);
				assertThat(thread(context.getBean(InterfaceTypeApi.class).find())).startsWith(DEFAULT);
				assertThat(thread(context.getBean(OverridingService.class).find())).startsWith(JDBC);
				assertThat(thread(context.getBean(SubOfAnnotatedClass.class).own())).startsWith(DEFAULT);
				assertThat(thread(context.getBean(SubOfAnnotatedClass.class).inherited())).startsWith(DEFAULT);
				assertThat(thread(context.getBean(GenericApi.class).find("key"))).startsWith(JDBC);
				assertThat(context.getBean(OffloadedApi.class).where()).startsWith(LOOP);
				assertThat(thread(context.getBean(TargetlessApi.class).find())).startsWith(JDBC);
				// What no annotation reaches still runs on the caller.
				assertThat(thread(context.getBean(SubOfAnnotatedClass.class).plain()))
					.isEqualTo(Thread.currentThread().getName());
			});
	}

	@Test
	void finalOverrideOfAnAnnotatedMethodFailsStartup() {
		this.contextRunner.withBean(FinalOverride.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("FinalOverride.find is routed by Bridge but is final"));
	}

	@Test
	void nonPublicMethodReachedThroughAComposedAnnotationFailsStartup() {
		this.contextRunner.withBean(NonPublicComposed.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(
						"NonPublicComposed.find is annotated with @OffloadBlocking (through @JdbcOffload) "
								+ "but is not public, so no Spring proxy can route it"));
	}

	@Test
	void bothAnnotationsDeclaredEquallyNearFailStartup() {
		this.contextRunner.withBean(BothComposed.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("BothComposed.find is annotated with both @OffloadBlocking and @RunOnLoop"));
	}

	private static String thread(Mono<String> work) {
		return work.block(Duration.ofSeconds(10));
	}

	private static Mono<String> currentThread() {
		return Mono.just(Thread.currentThread().getName());
	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target({ ElementType.METHOD, ElementType.TYPE })
	@OffloadBlocking(pool = "jdbc")
	@interface JdbcOffload {

	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target({ ElementType.METHOD, ElementType.TYPE })
	@OffloadBlocking
	@interface Offload {

		@AliasFor(annotation = OffloadBlocking.class, attribute = "pool")
		String value();

	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@RunOnLoop(timeout = "5s")
	@interface OnLoop {

	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@OffloadBlocking
	@RunOnLoop
	@interface Confused {

	}

	@Configuration(proxyBeanMethods = false)
	static class Shapes {

		@Bean
		ComposedOnMethod composedOnMethod() {
			return new ComposedOnMethod();
		}

		@Bean
		ComposedOnClass composedOnClass() {
			return new ComposedOnClass();
		}

		@Bean
		ComposedLoop composedLoop() {
			return new ComposedLoop();
		}

		@Bean
		InterfaceMethodApi interfaceMethod() {
			return new InterfaceMethodImpl();
		}

		@Bean
		InterfaceTypeApi interfaceType() {
			return new InterfaceTypeImpl();
		}

		@Bean
		OverridingService overridingService() {
			return new OverridingService();
		}

		@Bean
		SubOfAnnotatedClass subOfAnnotatedClass() {
			return new SubOfAnnotatedClass();
		}

		@Bean
		GenericApi<String> genericApi() {
			return new StringGenericImpl();
		}

		@Bean
		OffloadedApi nearestWins() {
			return new NearestWins();
		}

		@Bean
		TargetlessApi targetless() {
			// The shape of a repository proxy: an interface, an interceptor, no target.
			ProxyFactory factory = new ProxyFactory();
			factory.addInterface(TargetlessApi.class);
			factory.addAdvice((MethodInterceptor) (invocation) -> currentThread());
			return (TargetlessApi) factory.getProxy(AnnotationResolutionTests.class.getClassLoader());
		}

	}

	static class ComposedOnMethod {

		@JdbcOffload
		public Mono<String> find() {
			return currentThread();
		}

		@Offload("jdbc")
		public Mono<String> aliased() {
			return currentThread();
		}

	}

	@JdbcOffload
	static class ComposedOnClass {

		public Mono<String> find() {
			return currentThread();
		}

	}

	static class ComposedLoop {

		@OnLoop
		public String where() {
			return Thread.currentThread().getName();
		}

	}

	interface InterfaceMethodApi {

		@OffloadBlocking(pool = "jdbc")
		Mono<String> find();

	}

	static class InterfaceMethodImpl implements InterfaceMethodApi {

		@Override
		public Mono<String> find() {
			return currentThread();
		}

	}

	@OffloadBlocking
	interface InterfaceTypeApi {

		Mono<String> find();

	}

	static class InterfaceTypeImpl implements InterfaceTypeApi {

		@Override
		public Mono<String> find() {
			return currentThread();
		}

	}

	static class AnnotatedMethodBase {

		@OffloadBlocking(pool = "jdbc")
		public Mono<String> find() {
			return currentThread();
		}

	}

	static class OverridingService extends AnnotatedMethodBase {

		@Override
		public Mono<String> find() {
			return currentThread();
		}

	}

	static class PlainBase {

		public Mono<String> plain() {
			return currentThread();
		}

	}

	@OffloadBlocking
	static class AnnotatedClassBase extends PlainBase {

		public Mono<String> inherited() {
			return currentThread();
		}

	}

	static class SubOfAnnotatedClass extends AnnotatedClassBase {

		public Mono<String> own() {
			return currentThread();
		}

	}

	interface GenericApi<T> {

		@OffloadBlocking(pool = "jdbc")
		Mono<String> find(T key);

	}

	static class StringGenericImpl implements GenericApi<String> {

		@Override
		public Mono<String> find(String key) {
			return currentThread();
		}

	}

	interface OffloadedApi {

		@OffloadBlocking
		String where();

	}

	static class NearestWins implements OffloadedApi {

		// The implementation's own annotation is nearer than the interface's.
		@Override
		@RunOnLoop
		public String where() {
			return Thread.currentThread().getName();
		}

	}

	interface TargetlessApi {

		@OffloadBlocking(pool = "jdbc")
		Mono<String> find();

	}

	static class FinalOverride extends AnnotatedMethodBase {

		@Override
		public final Mono<String> find() {
			return currentThread();
		}

	}

	static class NonPublicComposed {

		@JdbcOffload
		Mono<String> find() {
			return currentThread();
		}

	}

	static class BothComposed {

		@Confused
		public Mono<String> find() {
			return currentThread();
		}

	}

}
