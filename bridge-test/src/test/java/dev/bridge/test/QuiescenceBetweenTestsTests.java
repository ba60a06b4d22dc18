/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static dev.bridge.test.BridgeAssertions.assertThatBridge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The wait after each test method, and the test support under Spring's test context
 * cache: test classes launched through the JUnit Platform in a fixed order, so that a
 * test that leaves work behind fails, and a cached context that was paused (by a switch
 * to another configuration) and restarted keeps its recorder. The launched classes do not
 * run on their own.
 */
class QuiescenceBetweenTestsTests {

	private static volatile boolean launched;

	private static volatile CountDownLatch leftBehind = new CountDownLatch(0);

	private static volatile ApplicationContext firstA;

	@Test
	void aTestThatLeavesAFireAndForgetCallRunningFailsNamingIt() {
		try {
			TestExecutionSummary summary = launch(LeavesWorkBehind.class);

			assertThat(summary.getTestsFailedCount()).isEqualTo(1);
			Throwable failure = summary.getFailures().get(0).getException();
			assertThat(failure).isInstanceOf(QuiescenceTimeoutError.class)
				.hasMessageContaining("Bridge work was still in flight after 200 ms of awaitQuiescence (1 left)")
				.hasMessageContaining("Audit.record on offload pool 'audit': running for")
				.hasMessageContaining("After test LeavesWorkBehind.recordsAndReturns(): ");
		}
		finally {
			leftBehind.countDown();
		}
	}

	@Test
	void quiescenceAndRoutingWorkInEachClassOfAnABASuiteUnderTheContextCache() {
		TestExecutionSummary summary = launch(FirstA.class, SecondBWithoutTestSupport.class, ThirdA.class);

		assertThat(summary.getFailures()).as("failures of the launched classes")
			.extracting((failure) -> failure.getTestIdentifier().getDisplayName() + ": " + failure.getException())
			.isEmpty();
		assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
	}

	private static TestExecutionSummary launch(Class<?>... classes) {
		launched = true;
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		try {
			LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
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

	@EnabledIf("dev.bridge.test.QuiescenceBetweenTestsTests#launched")
	@SpringBootTest(classes = AuditApplication.class,
			properties = { AuditApplication.POOL_PROPERTY, "spring.application.name=leaves-work-behind" })
	@AutoConfigureBridgeTest(quiescenceTimeout = "200ms")
	static class LeavesWorkBehind {

		@Autowired
		AuditApplication.Audit audit;

		@Test
		void recordsAndReturns() throws Exception {
			// the write stays held until the launching test releases it
			leftBehind = this.audit.holdWrites();
			this.audit.record("never awaited");
		}

	}

	/**
	 * A void call, awaited statically, and where it ran.
	 */
	abstract static class AuditCalls {

		@Autowired
		ApplicationContext context;

		@Autowired
		AuditApplication.Audit audit;

		void assertAuditIsAwaitedAndRouted() throws Exception {
			CountDownLatch gate = this.audit.holdWrites();
			this.audit.record("event");
			gate.countDown();
			BridgeTest.awaitQuiescence();

			assertThat(this.audit.written()).endsWith("event");
			assertThatBridge().ran("Audit.record").onPool("audit").times(1);
		}

	}

	@Order(1)
	@EnabledIf("dev.bridge.test.QuiescenceBetweenTestsTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest
	@Import(Lifecycles.class)
	static class FirstA extends AuditCalls {

		@Test
		void auditIsAwaitedAndRouted() throws Exception {
			firstA = this.context;
			assertAuditIsAwaitedAndRouted();
		}

	}

	@Order(2)
	@EnabledIf("dev.bridge.test.QuiescenceBetweenTestsTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	static class SecondBWithoutTestSupport {

		@Autowired
		ApplicationContext context;

		@Autowired
		Offloader offloader;

		@Test
		void nothingIsRecordedWithoutTheAnnotation() {
			assertThat(this.context).isNotSameAs(firstA);
			assertThat(this.context.getBeanProvider(BridgeRecorder.class).getIfAvailable()).isNull();
			assertThat(this.offloader).isNotInstanceOf(RecordingOffloader.class);
			assertThatIllegalStateException().isThrownBy(BridgeTest::recorder)
				.withMessageContaining("@AutoConfigureBridgeTest");
		}

	}

	@Order(3)
	@EnabledIf("dev.bridge.test.QuiescenceBetweenTestsTests#launched")
	@SpringBootTest(classes = AuditApplication.class, properties = AuditApplication.POOL_PROPERTY)
	@AutoConfigureBridgeTest
	@Import(Lifecycles.class)
	static class ThirdA extends AuditCalls {

		@Autowired
		Lifecycles lifecycles;

		@Test
		void auditIsAwaitedAndRoutedAfterTheCachedContextWasPausedAndRestarted() throws Exception {
			assertThat(this.context).as("A's cached context").isSameAs(firstA);
			assertThat(this.lifecycles.stops).as("pauses of A's context").hasPositiveValue();
			assertAuditIsAwaitedAndRouted();
		}

	}

	/**
	 * Counts how often Spring stops the context.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Lifecycles {

		final AtomicInteger stops = new AtomicInteger();

		@Bean
		SmartLifecycle lifecycleCounter() {
			return new SmartLifecycle() {

				private volatile boolean running;

				@Override
				public void start() {
					this.running = true;
				}

				@Override
				public void stop() {
					Lifecycles.this.stops.incrementAndGet();
					this.running = false;
				}

				@Override
				public boolean isRunning() {
					return this.running;
				}

			};
		}

	}

}
