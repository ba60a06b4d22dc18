/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.disposables.Disposable;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.slf4j.MDC;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for routing every return type Spring's {@code ReactiveAdapterRegistry} adapts
 * (here RxJava 3, {@code Publisher} and {@code Flow.Publisher}) through both annotations.
 */
class ReactiveAdapterRoutingTests {

	private static final String POOL_THREAD = "bridge-offload-default-";

	private static final String LOOP_THREAD = "bridge-loop-";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class))
		.withUserConfiguration(ServicesConfiguration.class);

	@Test
	void offloadedRxJavaTypesRunTheirBodyOnThePoolAtSubscribeTime() {
		this.contextRunner.run((context) -> {
			RxOffloading service = context.getBean(RxOffloading.class);
			AtomicInteger calls = context.getBean(AtomicInteger.class);
			Single<String> single = service.single();
			Flowable<String> flowable = service.flowable();
			Maybe<String> maybe = service.maybe();
			Completable completable = service.completable();
			assertThat(calls).hasValue(0);
			assertThat(single.blockingGet()).startsWith(POOL_THREAD);
			assertThat(flowable.toList().blockingGet()).hasSize(2).allMatch((name) -> name.startsWith(POOL_THREAD));
			assertThat(maybe.blockingGet()).startsWith(POOL_THREAD);
			completable.blockingAwait();
			assertThat(calls).hasValue(4);
			assertThat(single.blockingGet()).startsWith(POOL_THREAD);
			assertThat(calls).hasValue(5);
		});
	}

	@Test
	void offloadedPublishersRunTheirBodyOnThePool() {
		this.contextRunner.run((context) -> {
			RxOffloading service = context.getBean(RxOffloading.class);
			StepVerifier.create(service.publisher())
				.assertNext((thread) -> assertThat(thread).startsWith(POOL_THREAD))
				.verifyComplete();
			StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(service.flowPublisher()))
				.assertNext((thread) -> assertThat(thread).startsWith(POOL_THREAD))
				.verifyComplete();
		});
	}

	@Test
	void runOnLoopRxJavaTypesRunTheirBodyOnTheLoop() {
		this.contextRunner.run((context) -> {
			RxOnLoop service = context.getBean(RxOnLoop.class);
			assertThat(service.single().blockingGet()).startsWith(LOOP_THREAD);
			assertThat(service.flowable().toList().blockingGet()).hasSize(2)
				.allMatch((name) -> name.startsWith(LOOP_THREAD));
			StepVerifier.create(service.publisher())
				.assertNext((thread) -> assertThat(thread).startsWith(LOOP_THREAD))
				.verifyComplete();
		});
	}

	@Test
	void checkedExceptionsReachTheSubscriberUnwrapped() {
		this.contextRunner.run((context) -> {
			context.getBean(RxOffloading.class).failing().test().await().assertError(IOException.class);
			context.getBean(RxOnLoop.class).failing().test().await().assertError(IOException.class);
		});
	}

	@Test
	void disposingInterruptsTheOffloadedBody() {
		this.contextRunner.run((context) -> {
			RxOffloading service = context.getBean(RxOffloading.class);
			Latches latches = context.getBean(Latches.class);
			Disposable subscription = service.blockUntilInterrupted().subscribe();
			assertThat(latches.started.await(5, TimeUnit.SECONDS)).isTrue();
			subscription.dispose();
			assertThat(latches.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		});
	}

	@Test
	void disposingCancelsWhatTheLoopBodyReturned() throws Exception {
		this.contextRunner.run((context) -> {
			Latches latches = context.getBean(Latches.class);
			Disposable subscription = context.getBean(RxOnLoop.class).never(latches).subscribe();
			assertThat(latches.started.await(5, TimeUnit.SECONDS)).isTrue();
			subscription.dispose();
			assertThat(latches.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		});
	}

	@Test
	void callersContextIsRestoredAroundTheBody() {
		this.contextRunner.run((context) -> {
			MDC.put("request", "r-1");
			try {
				Single<String> offloaded = context.getBean(RxOffloading.class).mdc();
				Single<String> onLoop = context.getBean(RxOnLoop.class).mdc();
				assertThat(offloaded.blockingGet()).isEqualTo("r-1");
				assertThat(onLoop.blockingGet()).isEqualTo("r-1");
			}
			finally {
				MDC.remove("request");
			}
		});
	}

	@Test
	void offloadingATypeNoAdapterKnowsFailsStartupListingWhatCanBeRouted() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
					BridgeAspectsAutoConfiguration.class))
			.withBean(ObjectOffload.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(
						"@OffloadBlocking method ObjectOffload.find returns java.util.List<java.lang.String>")
				.hasMessageContaining("Kotlin suspend functions")
				.hasMessageContaining("ReactiveAdapterRegistry"));
	}

	@Configuration(proxyBeanMethods = false)
	static class ServicesConfiguration {

		@Bean
		AtomicInteger calls() {
			return new AtomicInteger();
		}

		@Bean
		Latches latches() {
			return new Latches();
		}

		@Bean
		RxOffloading rxOffloading(AtomicInteger calls, Latches latches) {
			return new RxOffloading(calls, latches);
		}

		@Bean
		RxOnLoop rxOnLoop() {
			return new RxOnLoop();
		}

	}

	static class Latches {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch interrupted = new CountDownLatch(1);

	}

	@OffloadBlocking
	static class RxOffloading {

		private final AtomicInteger calls;

		private final Latches latches;

		RxOffloading(AtomicInteger calls, Latches latches) {
			this.calls = calls;
			this.latches = latches;
		}

		private String record() {
			this.calls.incrementAndGet();
			return Thread.currentThread().getName();
		}

		public Single<String> single() {
			return Single.just(record());
		}

		public Flowable<String> flowable() {
			String thread = record();
			return Flowable.just(thread, Thread.currentThread().getName());
		}

		public Maybe<String> maybe() {
			return Maybe.just(record());
		}

		public Completable completable() {
			assertThat(record()).startsWith(POOL_THREAD);
			return Completable.complete();
		}

		public Publisher<String> publisher() {
			return Flux.just(Thread.currentThread().getName());
		}

		public Flow.Publisher<String> flowPublisher() {
			return JdkFlowAdapter.publisherToFlowPublisher(Flux.just(Thread.currentThread().getName()));
		}

		public Single<String> failing() throws IOException {
			throw new IOException("single failed");
		}

		public Single<String> mdc() {
			return Single.just(MDC.get("request"));
		}

		public Single<String> blockUntilInterrupted() {
			this.latches.started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				this.latches.interrupted.countDown();
			}
			return Single.just("interrupted");
		}

	}

	@RunOnLoop
	static class RxOnLoop {

		public Single<String> single() {
			return Single.just(Thread.currentThread().getName());
		}

		public Flowable<String> flowable() {
			return Flowable.just("a", "b").map((item) -> Thread.currentThread().getName());
		}

		public Publisher<String> publisher() {
			return Flux.just(Thread.currentThread().getName());
		}

		public Single<String> failing() throws IOException {
			throw new IOException("single failed");
		}

		public Single<String> mdc() {
			return Single.just(MDC.get("request"));
		}

		public Single<String> never(Latches latches) {
			return Single.<String>never()
				.doOnSubscribe((subscription) -> latches.started.countDown())
				.doOnDispose(latches.interrupted::countDown);
		}

	}

	static class ObjectOffload {

		@OffloadBlocking
		public List<String> find() {
			return List.of("x");
		}

	}

}
