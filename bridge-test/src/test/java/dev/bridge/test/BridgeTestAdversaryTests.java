/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.bridge.annotation.OffloadBlocking;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static dev.bridge.test.BridgeAssertions.assertThatBridge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Adversarial tests of the test support as a user's suite meets it: test classes launched
 * through the JUnit Platform and Spring's TestContext framework (context cache, nested
 * classes, Mockito bean overrides, the wait after each test). The launched classes do not
 * run on their own.
 */
class BridgeTestAdversaryTests {

	private static volatile boolean launched;

	static final AtomicReference<String> slowAnswer = new AtomicReference<>();

	static final Map<String, ApplicationContext> contexts = new ConcurrentHashMap<>();

	static final AtomicReference<String> sharedSeen = new AtomicReference<>();

	static volatile CountDownLatch lateGate = new CountDownLatch(0);

	@Test
	void aMockStubbedByTheTestIsNotResetWhileTheWaitAfterTheTestStillLetsWorkUseIt() {
		slowAnswer.set("not called");
		TestExecutionSummary summary = launch(LeavesSlowWorkUsingAMock.class);

		assertNoFailures(summary, 1);
		assertThat(slowAnswer.get()).as("what the slow call got from the mock after the test method returned")
			.isEqualTo("stubbed");
	}

	@Test
	void equalAttributesShareAContextAndDifferentOnesDoNotAndNestedClassesInheritIt() {
		contexts.clear();
		TestExecutionSummary summary = launch(CacheOneSecond.class, CacheOneSecondAgain.class, CacheTwoSeconds.class);

		assertNoFailures(summary, 4);
		assertThat(contexts.get("again")).isSameAs(contexts.get("one"));
		assertThat(contexts.get("nested")).isSameAs(contexts.get("one"));
		assertThat(contexts.get("two")).isNotSameAs(contexts.get("one"));
	}

	@Test
	void callsThePreviousTestLeftRunningAreNotRecordedForTheNextTest() {
		try {
			TestExecutionSummary summary = launch(LeavesWorkToTheNextTest.class);

			assertNoFailures(summary, 2);
		}
		finally {
			lateGate.countDown();
		}
	}

	@Test
	void aFluxOffloadBlockingMethodCalledOnceCountsItsBodyAndItsSubscription() {
		TestExecutionSummary summary = launch(CallsAFluxMethod.class);

		assertNoFailures(summary, 1);
	}

	@Test
	void parallelTestMethodsOnOneContextShareItsRecorder() {
		sharedSeen.set("not run");
		TestExecutionSummary summary = launch(
				LauncherDiscoveryRequestBuilder.request()
					.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
					.configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
					.configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2"),
				InParallel.class);

		assertNoFailures(summary, 2);
		assertThat(sharedSeen.get()).as("what the loop method's test saw of the other test's call")
			.isEqualTo("Audit.count");
	}

	private static void assertNoFailures(TestExecutionSummary summary, int tests) {
		assertThat(summary.getFailures()).as("failures of the launched classes")
			.extracting((failure) -> failure.getTestIdentifier().getDisplayName() + ": " + failure.getException())
			.isEmpty();
		assertThat(summary.getTestsSucceededCount()).isEqualTo(tests);
	}

	private static TestExecutionSummary launch(Class<?>... classes) {
		return launch(LauncherDiscoveryRequestBuilder.request(), classes);
	}

	private static TestExecutionSummary launch(LauncherDiscoveryRequestBuilder builder, Class<?>... classes) {
		launched = true;
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		try {
			LauncherDiscoveryRequest request = builder
				.selectors(List.of(classes).stream().map((type) -> selectClass(type)).toList())
				.configurationParameter("junit.jupiter.testclass.order.default",
						ClassOrderer.OrderAnnotation.class.getName())
				.build();
			Launcher launcher = LauncherFactory.create();
			launcher.execute(request, listener);
		}
		finally {
			launched = false;
		}
		return listener.getSummary();
	}

	static boolean launched() {
		return launched;
	}

	/**
	 * What the slow call asks.
	 */
	public interface Gateway {

		String answer();

	}

	/**
	 * Fire-and-forget calls for the launched classes.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Fixtures {

		@Bean
		Sender sender(Gateway gateway) {
			return new Sender(gateway);
		}

	}

	static class Sender {

		private final Gateway gateway;

		Sender(Gateway gateway) {
			this.gateway = gateway;
		}

		/**
		 * A slow call: it takes 300 ms, then asks the gateway.
		 * @throws InterruptedException if interrupted
		 */
		@OffloadBlocking(pool = "audit")
		public void sendSlowly() throws InterruptedException {
			new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS);
			slowAnswer.set(String.valueOf(this.gateway.answer()));
		}

		@OffloadBlocking
		public Flux<Integer> numbers() {
			return Flux.just(1, 2, 3);
		}

	}

	@EnabledIf("dev.bridge.test.BridgeTestAdversaryTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest
	@Import(Fixtures.class)
	static class LeavesSlowWorkUsingAMock {

		@MockitoBean
		Gateway gateway;

		@Autowired
		Sender sender;

		@Test
		void sendsWithoutWaiting() throws Exception {
			given(this.gateway.answer()).willReturn("stubbed");
			this.sender.sendSlowly();
		}

	}

	@Order(1)
	@EnabledIf("dev.bridge.test.BridgeTestAdversaryTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest(quiescenceTimeout = "1s")
	static class CacheOneSecond {

		@Autowired
		ApplicationContext context;

		@Test
		void seesItsOwnTimeout() {
			contexts.put("one", this.context);
			assertThat(this.context.getEnvironment().getProperty(BridgeTestExecutionListener.TIMEOUT)).isEqualTo("1s");
		}

		@Nested
		class Inner {

			@Autowired
			ApplicationContext context;

			@Autowired
			AuditApplication.Audit audit;

			@Test
			void inheritsTheTestSupport() throws Exception {
				contexts.put("nested", this.context);
				this.audit.record("nested");
				BridgeTest.awaitQuiescence();
				assertThatBridge().ran("Audit.record").onPool("audit").times(1);
			}

		}

	}

	@Order(2)
	@EnabledIf("dev.bridge.test.BridgeTestAdversaryTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest(quiescenceTimeout = "2s")
	static class CacheTwoSeconds {

		@Autowired
		ApplicationContext context;

		@Test
		void seesItsOwnTimeout() {
			contexts.put("two", this.context);
			assertThat(this.context.getEnvironment().getProperty(BridgeTestExecutionListener.TIMEOUT)).isEqualTo("2s");
		}

	}

	@Order(3)
	@EnabledIf("dev.bridge.test.BridgeTestAdversaryTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest(quiescenceTimeout = "1s")
	static class CacheOneSecondAgain {

		@Autowired
		ApplicationContext context;

		@Test
		void sharesTheContext() {
			contexts.put("again", this.context);
		}

	}

	@EnabledIf("dev.bridge.test.BridgeTestAdversaryTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest(awaitQuiescenceAfterEachTest = false)
	@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
	static class LeavesWorkToTheNextTest {

		@Autowired
		AuditApplication.Audit audit;

		@Test
		@Order(1)
		void leavesAWriteWaiting() throws Exception {
			lateGate = this.audit.holdWrites();
			// the pool runs two at a time: the third write waits to start
			this.audit.record("one");
			this.audit.record("two");
			this.audit.record("three");
		}

		@Test
		@Order(2)
		void seesOnlyItsOwnCalls() {
			lateGate.countDown();
			BridgeTest.awaitQuiescence();
			assertThatBridge().didNotRun("Audit.record");
		}

	}

	@EnabledIf("dev.bridge.test.BridgeTestAdversaryTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest
	@Import(Fixtures.class)
	static class CallsAFluxMethod {

		@MockitoBean
		Gateway gateway;

		@Autowired
		Sender sender;

		@Test
		void countsTheBodyAndTheSubscription() {
			assertThat(this.sender.numbers().collectList().block()).containsExactly(1, 2, 3);
			BridgeTest.awaitQuiescence();
			// the body, then the subscription to the Flux it returned
			assertThatBridge().ran("Sender.numbers").onPool("default").times(2);
		}

	}

	@EnabledIf("dev.bridge.test.BridgeTestAdversaryTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest
	@Execution(ExecutionMode.CONCURRENT)
	static class InParallel {

		static final CountDownLatch published = new CountDownLatch(1);

		static final CountDownLatch counted = new CountDownLatch(1);

		@Autowired
		BridgeRecorder recorder;

		@Autowired
		AuditApplication.Audit audit;

		@Autowired
		AuditApplication.Board board;

		@Test
		void publishes() throws Exception {
			this.board.publish();
			published.countDown();
			assertThat(counted.await(5, TimeUnit.SECONDS)).as("the other test counted").isTrue();
			sharedSeen.set(this.recorder.calls()
				.stream()
				.map(BridgeCall::method)
				.filter("Audit.count"::equals)
				.findFirst()
				.orElse("nothing"));
		}

		@Test
		void counts() throws Exception {
			assertThat(published.await(5, TimeUnit.SECONDS)).as("the other test published").isTrue();
			this.audit.count().block();
			this.recorder.awaitQuiescence();
			counted.countDown();
		}

	}

}
