/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.loop.LoopDeadlockException;
import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopTimeoutException;
import dev.bridge.offload.OffloadTimeoutException;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.annotation.Before;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OffloadBlockingAspect}, {@link RunOnLoopAspect}, their return-type
 * handlers and {@link MethodRouteValidator}.
 */
@ExtendWith(OutputCaptureExtension.class)
class BridgeAspectsTests {

	private static final String POOL_THREAD = "bridge-offload-default-";

	private static final String LOOP_THREAD = "bridge-loop-";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class))
		.withPropertyValues("bridge.offload.pools.jdbc.max-concurrency=2");

	@Test
	void offloadedMonoRunsItsBodyOnThePoolOncePerSubscription() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			OffloadingService service = context.getBean(OffloadingService.class);
			Recorder recorder = context.getBean(Recorder.class);
			Mono<String> mono = service.mono();
			assertThat(recorder.calls).hasValue(0);
			StepVerifier.create(mono)
				.assertNext((thread) -> assertThat(thread).startsWith(POOL_THREAD))
				.verifyComplete();
			StepVerifier.create(mono).expectNextCount(1).verifyComplete();
			assertThat(recorder.calls).hasValue(2);
		});
	}

	@Test
	void offloadedFluxRunsItsBodyOnThePoolAtSubscribeTime() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			OffloadingService service = context.getBean(OffloadingService.class);
			Flux<String> flux = service.flux();
			assertThat(context.getBean(Recorder.class).calls).hasValue(0);
			StepVerifier.create(flux)
				.assertNext((thread) -> assertThat(thread).startsWith(POOL_THREAD))
				.expectNext("second")
				.verifyComplete();
		});
	}

	@Test
	void offloadedFutureStartsAtOnceOnThePoolAndIsFlattened() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			OffloadingService service = context.getBean(OffloadingService.class);
			CompletableFuture<String> future = service.future();
			assertThat(future.get(5, TimeUnit.SECONDS)).startsWith(POOL_THREAD);
		});
	}

	@Test
	void cancellingAnOffloadedFutureInterruptsTheBody() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			OffloadingService service = context.getBean(OffloadingService.class);
			Recorder recorder = context.getBean(Recorder.class);
			CompletableFuture<String> future = service.blockUntilInterrupted();
			assertThat(recorder.started.await(5, TimeUnit.SECONDS)).isTrue();
			future.cancel(true);
			assertThat(recorder.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		});
	}

	@Test
	void offloadedVoidMethodFiresAndForgetsOnThePoolAndLogsItsFailure(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			OffloadingService service = context.getBean(OffloadingService.class);
			Recorder recorder = context.getBean(Recorder.class);
			service.fireAndForget();
			assertThat(recorder.started.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(recorder.threads).singleElement().asString().startsWith(POOL_THREAD);
			service.fireAndFail();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> output.getOut()
					.contains("@OffloadBlocking void method OffloadingService.fireAndFail failed"));
		});
	}

	@Test
	void checkedExceptionsReachTheCallerUnwrapped() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			OffloadingService offloading = context.getBean(OffloadingService.class);
			StepVerifier.create(offloading.failingMono()).verifyErrorMessage("mono failed");
			StepVerifier.create(offloading.failingMono()).verifyError(IOException.class);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> offloading.failingFuture().get(5, TimeUnit.SECONDS))
				.withCauseExactlyInstanceOf(IOException.class);
			LoopService loop = context.getBean(LoopService.class);
			assertThatExceptionOfType(IOException.class).isThrownBy(loop::failing).withMessage("loop failed");
		});
	}

	@Test
	void annotationPoolAndTimeoutAreHonoured() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			OffloadingService service = context.getBean(OffloadingService.class);
			assertThat(service.onJdbc().get(5, TimeUnit.SECONDS)).startsWith("bridge-offload-jdbc-");
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> service.tooSlow().get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(OffloadTimeoutException.class)
				.withMessageContaining("OffloadingService.tooSlow");
		});
	}

	@Test
	void methodAnnotationWinsOverClassAnnotation() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class)
			.run((context) -> assertThat(context.getBean(OffloadingService.class).onLoopInstead())
				.startsWith(LOOP_THREAD));
	}

	@Test
	void syncRunOnLoopRunsOnTheLoopAndTheCallerWaits() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			LoopService service = context.getBean(LoopService.class);
			assertThat(service.threadName()).startsWith(LOOP_THREAD);
			service.voidOnLoop();
			assertThat(context.getBean(Recorder.class).threads).singleElement().asString().startsWith(LOOP_THREAD);
		});
	}

	@Test
	void syncRunOnLoopRunsInlineWhenCalledOnTheLoop() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			LoopService service = context.getBean(LoopService.class);
			LoopRunner loop = context.getBean(LoopRunner.class);
			assertThat(loop.call(service::threadName)).startsWith(LOOP_THREAD);
		});
	}

	@Test
	void syncRunOnLoopFromANonBlockingThreadFailsFast() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			LoopService service = context.getBean(LoopService.class);
			Mono<String> call = Mono.fromCallable(service::threadName).subscribeOn(Schedulers.parallel());
			StepVerifier.create(call)
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(LoopDeadlockException.class)
					.hasMessageContaining("non-blocking thread"))
				.verify(Duration.ofSeconds(5));
		});
	}

	@Test
	void runOnLoopTimeoutIsHonoured() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			LoopService service = context.getBean(LoopService.class);
			assertThatExceptionOfType(LoopTimeoutException.class).isThrownBy(service::tooSlow);
			context.getBean(Recorder.class).release.countDown();
		});
	}

	@Test
	void reactiveRunOnLoopIsSubscribedOnTheLoop() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			LoopService service = context.getBean(LoopService.class);
			Mono<String> mono = service.mono();
			assertThat(context.getBean(Recorder.class).calls).hasValue(0);
			StepVerifier.create(mono)
				.assertNext((thread) -> assertThat(thread).startsWith(LOOP_THREAD))
				.verifyComplete();
			StepVerifier.create(service.flux())
				.assertNext((thread) -> assertThat(thread).startsWith(LOOP_THREAD))
				.assertNext((thread) -> assertThat(thread).startsWith(LOOP_THREAD))
				.verifyComplete();
		});
	}

	@Test
	void futureRunOnLoopStartsOnTheLoop() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class)
			.run((context) -> assertThat(context.getBean(LoopService.class).future().get(5, TimeUnit.SECONDS))
				.startsWith(LOOP_THREAD));
	}

	@Test
	void callersContextIsRestoredAroundTheBody() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			OffloadingService offloading = context.getBean(OffloadingService.class);
			LoopService loop = context.getBean(LoopService.class);
			MDC.put("request", "r-1");
			try {
				assertThat(offloading.mdc().get(5, TimeUnit.SECONDS)).isEqualTo("r-1");
				assertThat(loop.mdc()).isEqualTo("r-1");
			}
			finally {
				MDC.remove("request");
			}
		});
	}

	@Test
	void adviceOrderedInsideBridgeRunsOnThePoolThread() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class, InnerAspectConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(OffloadingService.class).future().get(5, TimeUnit.SECONDS))
					.startsWith(POOL_THREAD);
				assertThat(context.getBean(InnerAspect.class).threads).singleElement()
					.asString()
					.startsWith(POOL_THREAD);
			});
	}

	@Test
	void offloadingAPlainReturnTypeFailsStartupNamingTheMethod() {
		this.contextRunner.withBean(PlainOffload.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@OffloadBlocking method PlainOffload.find returns String")
				.hasMessageContaining("return Mono<String> or CompletableFuture<String>"));
	}

	@Test
	void unknownPoolFailsStartupNamingTheMethod() {
		this.contextRunner.withBean(UnknownPool.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@OffloadBlocking(pool = \"reports\") on UnknownPool.load")
				.hasMessageContaining("bridge.offload.pools.reports"));
	}

	@Test
	void malformedTimeoutFailsStartupNamingTheMethod() {
		this.contextRunner.withBean(BadTimeout.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@RunOnLoop(timeout = \"soon\") on BadTimeout.run is not a duration"));
	}

	@Test
	void bothAnnotationsOnOneMethodFailStartup() {
		this.contextRunner.withBean(BothAnnotations.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("BothAnnotations.run is annotated with both"));
	}

	@Test
	void annotatedMethodNoProxyCanInterceptFailsStartup() {
		this.contextRunner.withBean(FinalMethod.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("FinalMethod.load is routed by Bridge but is final"));
	}

	@Test
	void withoutAspectjAnnotatedBeansFailStartupInsteadOfRunningOnTheCaller() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.aspectj"))
			.withUserConfiguration(ServicesConfiguration.class)
			.run((context) -> {
				assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("Bean 'offloadingService' has Bridge-annotated method OffloadingService.")
					.hasMessageContaining("but its proxy does not route it")
					.hasMessageContaining("AspectJ");
			});
	}

	@Test
	void withAutoProxyingOffAnnotatedBeansFailStartup() {
		this.contextRunner.withPropertyValues("spring.aop.auto=false")
			.withUserConfiguration(ServicesConfiguration.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("but its proxy does not route it")
				.hasMessageContaining("spring.aop.auto=false"));
	}

	@Test
	void withoutAspectjAndWithoutAnnotatedBeansBridgeStillStarts() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.aspectj")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(LoopRunner.class);
			assertThat(context).doesNotHaveBean(OffloadBlockingAspect.class).doesNotHaveBean(RunOnLoopAspect.class);
		});
	}

	@Test
	void withoutSpringSecurityReactiveMethodsStillWork() {
		// A filtered class loader cannot define CGLIB classes: use interface-based
		// proxies.
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean(Greeter.class, OffloadedGreeter::new)
			.run((context) -> StepVerifier.create(context.getBean(Greeter.class).greet())
				.assertNext((thread) -> assertThat(thread).startsWith(POOL_THREAD))
				.verifyComplete());
	}

	@Test
	void disabledBridgeRegistersNoAspects() {
		this.contextRunner.withPropertyValues("bridge.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(OffloadBlockingAspect.class)
				.doesNotHaveBean(RunOnLoopAspect.class)
				.doesNotHaveBean(MethodRouteValidator.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ServicesConfiguration {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		OffloadingService offloadingService(Recorder recorder) {
			return new OffloadingService(recorder);
		}

		@Bean
		LoopService loopService(Recorder recorder) {
			return new LoopService(recorder);
		}

	}

	static class Recorder {

		final AtomicInteger calls = new AtomicInteger();

		final List<String> threads = new CopyOnWriteArrayList<>();

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch interrupted = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		String record() {
			this.calls.incrementAndGet();
			return Thread.currentThread().getName();
		}

	}

	@OffloadBlocking
	static class OffloadingService {

		private final Recorder recorder;

		OffloadingService(Recorder recorder) {
			this.recorder = recorder;
		}

		public Mono<String> mono() {
			return Mono.just(this.recorder.record());
		}

		public Flux<String> flux() {
			return Flux.just(this.recorder.record(), "second");
		}

		public CompletableFuture<String> future() {
			return CompletableFuture.completedFuture(this.recorder.record());
		}

		public CompletableFuture<String> mdc() {
			return CompletableFuture.completedFuture(MDC.get("request"));
		}

		public CompletableFuture<String> blockUntilInterrupted() {
			this.recorder.started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				this.recorder.interrupted.countDown();
			}
			return CompletableFuture.completedFuture("interrupted");
		}

		public void fireAndForget() {
			this.recorder.threads.add(Thread.currentThread().getName());
			this.recorder.started.countDown();
		}

		public void fireAndFail() {
			throw new IllegalStateException("fire and fail");
		}

		public Mono<String> failingMono() throws IOException {
			throw new IOException("mono failed");
		}

		public CompletableFuture<String> failingFuture() throws IOException {
			throw new IOException("future failed");
		}

		@OffloadBlocking(pool = "jdbc")
		public CompletableFuture<String> onJdbc() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@OffloadBlocking(timeout = "100ms")
		public CompletableFuture<String> tooSlow() throws InterruptedException {
			new CountDownLatch(1).await();
			return CompletableFuture.completedFuture("never");
		}

		@RunOnLoop
		public String onLoopInstead() {
			return Thread.currentThread().getName();
		}

	}

	@RunOnLoop
	static class LoopService {

		private final Recorder recorder;

		LoopService(Recorder recorder) {
			this.recorder = recorder;
		}

		public String threadName() {
			return Thread.currentThread().getName();
		}

		public void voidOnLoop() {
			this.recorder.threads.add(Thread.currentThread().getName());
		}

		public String failing() throws IOException {
			throw new IOException("loop failed");
		}

		public String mdc() {
			return MDC.get("request");
		}

		@RunOnLoop(timeout = "100ms")
		public String tooSlow() throws InterruptedException {
			this.recorder.release.await(5, TimeUnit.SECONDS);
			return "late";
		}

		public Mono<String> mono() {
			return Mono.just(this.recorder.record());
		}

		public Flux<String> flux() {
			return Flux.just("a", "b").map((item) -> Thread.currentThread().getName());
		}

		public CompletableFuture<String> future() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(ServicesConfiguration.class)
	static class InnerAspectConfiguration {

		@Bean
		InnerAspect innerAspect() {
			return new InnerAspect();
		}

	}

	@Aspect
	@Order(Ordered.LOWEST_PRECEDENCE)
	static class InnerAspect {

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Before("execution(* dev.bridge.autoconfigure.aop.BridgeAspectsTests.OffloadingService.future())")
		public void record(JoinPoint joinPoint) {
			this.threads.add(Thread.currentThread().getName());
		}

	}

	public interface Greeter {

		Mono<String> greet();

	}

	static class OffloadedGreeter implements Greeter {

		@Override
		@OffloadBlocking
		public Mono<String> greet() {
			return Mono.just(Thread.currentThread().getName());
		}

	}

	static class PlainOffload {

		@OffloadBlocking
		public String find() {
			return "x";
		}

	}

	static class UnknownPool {

		@OffloadBlocking(pool = "reports")
		public Mono<String> load() {
			return Mono.just("x");
		}

	}

	static class BadTimeout {

		@RunOnLoop(timeout = "soon")
		public String run() {
			return "x";
		}

	}

	static class BothAnnotations {

		@RunOnLoop
		@OffloadBlocking
		public Mono<String> run() {
			return Mono.just("x");
		}

	}

	static class FinalMethod {

		@OffloadBlocking
		public final Mono<String> load() {
			return Mono.just("x");
		}

	}

}
