/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop

import dev.bridge.annotation.OffloadBlocking
import dev.bridge.annotation.RunOnLoop
import dev.bridge.autoconfigure.BridgeAutoConfiguration
import dev.bridge.offload.OffloadRejectedException
import dev.bridge.offload.OffloadTimeoutException
import dev.bridge.offload.Offloader
import java.io.IOException
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatExceptionOfType
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * Adversarial tests for Kotlin `suspend` functions under `@OffloadBlocking` and
 * `@RunOnLoop`, used the way kotlinx.coroutines users would: cancellation and timeouts
 * from either side, bulkheads under structured concurrency, coroutine context elements,
 * and loop re-entrancy.
 */
class SuspendAdversaryTests {

	private val contextRunner = ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration::class.java, BridgeAutoConfiguration::class.java,
			BridgeAspectsAutoConfiguration::class.java))
		.withPropertyValues("bridge.offload.pools.small.max-concurrency=2",
			"bridge.offload.pools.small.queue-capacity=200", "bridge.offload.pools.tiny.max-concurrency=1",
			"bridge.offload.pools.tiny.queue-capacity=0")
		.withBean(Signals::class.java)
		.withBean(Offloaded::class.java)
		.withBean(OnLoop::class.java)
		.withBean(OnLoopCaller::class.java)

	@Test
	fun aBodyCancelledWhileOnThePoolIsCancelledOnceItSuspends() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			val signals = context.getBean(Signals::class.java)
			runBlocking {
				val call = launch(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) {
					service.ignoreInterruptThenSuspend()
				}
				assertThat(signals.started.await(5, TimeUnit.SECONDS)).isTrue()
				call.cancelAndJoin()
				signals.release.countDown()
				// The caller is gone: the rest of the body must not wait for ever.
				assertThat(signals.bodyCancelled.await(5, TimeUnit.SECONDS)).isTrue()
			}
			await().atMost(Duration.ofSeconds(5)).until { stats(context, "default").active() == 0 }
		}
	}

	@Test
	fun aBodyTimedOutWhileOnThePoolIsCancelledOnceItSuspends() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			val signals = context.getBean(Signals::class.java)
			runBlocking {
				val call = launch(Dispatchers.Default) {
					assertThatExceptionOfType(OffloadTimeoutException::class.java)
						.isThrownBy { runBlocking { service.timedIgnoreInterruptThenSuspend() } }
				}
				call.join()
				signals.release.countDown()
				assertThat(signals.bodyCancelled.await(5, TimeUnit.SECONDS)).isTrue()
			}
		}
	}

	@Test
	fun thePoolsTimeoutReachesTheCoroutineAsOffloadTimeoutExceptionAndFreesTheSlot() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			val signals = context.getBean(Signals::class.java)
			assertThatExceptionOfType(OffloadTimeoutException::class.java)
				.isThrownBy { runBlocking { service.timedBlock() } }
			assertThat(signals.interrupted.await(5, TimeUnit.SECONDS)).isTrue()
			await().atMost(Duration.ofSeconds(5)).until { stats(context, "default").active() == 0 }
		}
	}

	@Test
	fun withTimeoutCancelsTheCallPromptlyInterruptsTheBodyAndFreesTheSlot() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			val signals = context.getBean(Signals::class.java)
			runBlocking {
				val started = System.nanoTime()
				assertThatExceptionOfType(TimeoutCancellationException::class.java)
					.isThrownBy { runBlocking { withTimeout(200) { service.block() } } }
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3))
			}
			assertThat(signals.interrupted.await(5, TimeUnit.SECONDS)).isTrue()
			await().atMost(Duration.ofSeconds(5)).until { stats(context, "default").active() == 0 }
		}
	}

	@Test
	fun aQueuedCallCancelledByItsCoroutineNeverRunsAndLeavesTheQueue() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			val signals = context.getBean(Signals::class.java)
			runBlocking(Dispatchers.Default) {
				val holders = List(2) { launch { service.holdSmall() } }
				await().atMost(Duration.ofSeconds(5)).until { stats(context, "small").active() == 2 }
				val queued = launch { service.countSmall() }
				await().atMost(Duration.ofSeconds(5)).until { stats(context, "small").queued() == 1 }
				queued.cancelAndJoin()
				await().atMost(Duration.ofSeconds(5)).until { stats(context, "small").queued() == 0 }
				signals.release.countDown()
				holders.forEach { it.join() }
				// Another call through the same pool: the cancelled one would have run before it.
				service.countSmall()
			}
			assertThat(context.getBean(Signals::class.java).counted.get()).isEqualTo(1)
			assertThat(stats(context, "small").active()).isZero()
		}
	}

	@Test
	fun aHundredConcurrentCallsAllCompleteWithinTheBulkhead() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			val signals = context.getBean(Signals::class.java)
			val results = runBlocking(Dispatchers.Default) {
				val results = java.util.concurrent.ConcurrentLinkedQueue<Int>()
				coroutineScope {
					repeat(100) { i -> launch { results.add(service.concurrent(i)) } }
				}
				results
			}
			assertThat(results).containsExactlyInAnyOrderElementsOf((0 until 100).toList())
			assertThat(signals.maxConcurrent.get()).isBetween(1, 2)
			assertThat(stats(context, "small").active()).isZero()
		}
	}

	@Test
	fun aFullPoolsRejectionReachesTheCoroutine() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			val signals = context.getBean(Signals::class.java)
			runBlocking(Dispatchers.Default) {
				val holder = launch { service.holdTiny() }
				assertThat(signals.started.await(5, TimeUnit.SECONDS)).isTrue()
				assertThatExceptionOfType(OffloadRejectedException::class.java)
					.isThrownBy { runBlocking { service.holdTiny() } }
					.withMessageContaining("tiny")
				signals.release.countDown()
				holder.join()
			}
		}
	}

	@Test
	fun threadContextElementsAndTheCoroutineNameReachTheBodyAndAreRestored() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			runBlocking(Dispatchers.Default + CoroutineName("caller") + Tenant("t-7")) {
				assertThat(service.seen()).isEqualTo("caller/t-7")
			}
			// The only thread of the pool: the element must not stay behind on it.
			runBlocking { assertThat(service.seen()).isEqualTo("null/null") }
		}
	}

	@Test
	fun aCheckedExceptionAfterASuspensionReachesTheCallerUnwrapped() {
		contextRunner.run { context ->
			assertThatExceptionOfType(IOException::class.java)
				.isThrownBy { runBlocking { context.getBean(Offloaded::class.java).failAfterSuspending() } }
				.withMessage("after delay")
		}
	}

	@Test
	fun theRestOfAnOffloadedBodyNeverBlocksTheCallersDispatcher() {
		contextRunner.run { context ->
			val service = context.getBean(Offloaded::class.java)
			val signals = context.getBean(Signals::class.java)
			val gate = CompletableDeferred<Unit>()
			// runBlocking's one thread: the release below runs only if the rest of the
			// body, resumed from that thread, does not block it.
			runBlocking {
				val call = async(start = CoroutineStart.UNDISPATCHED) { service.blockAfterResuming(gate) }
				assertThat(signals.started.await(5, TimeUnit.SECONDS)).isTrue()
				// The pool task ends once the body suspends on the gate.
				await().atMost(Duration.ofSeconds(5)).until { stats(context, "default").active() == 0 }
				gate.complete(Unit)
				launch { signals.release.countDown() }
				assertThat(call.await()).isTrue()
			}
		}
	}

	@Test
	fun loopBodiesResumeOnTheLoopAfterEachDelay() {
		contextRunner.run { context ->
			runBlocking(Dispatchers.Default) {
				assertThat(context.getBean(OnLoop::class.java).delays(5)).isEqualTo(5)
			}
		}
	}

	@Test
	fun aLoopSuspendFunctionCalledFromTheLoopDoesNotDeadlock() {
		contextRunner.run { context ->
			runBlocking {
				withTimeout(5_000) {
					assertThat(context.getBean(OnLoopCaller::class.java).callFromLoop()).startsWith(LOOP_THREAD)
				}
			}
		}
	}

	@Test
	fun cancellingACallerSuspendedInALoopBodyAfterADelayCancelsIt() {
		contextRunner.run { context ->
			val signals = context.getBean(Signals::class.java)
			runBlocking(Dispatchers.Default) {
				val call = launch { context.getBean(OnLoop::class.java).delayThenAwaitCancellation() }
				assertThat(signals.started.await(5, TimeUnit.SECONDS)).isTrue()
				call.cancelAndJoin()
				assertThat(signals.bodyCancelled.await(5, TimeUnit.SECONDS)).isTrue()
			}
		}
	}

	class Signals {

		val started = CountDownLatch(1)

		val release = CountDownLatch(1)

		val interrupted = CountDownLatch(1)

		val bodyCancelled = CountDownLatch(1)

		val counted = AtomicInteger()

		val concurrent = AtomicInteger()

		val maxConcurrent = AtomicInteger()

		val loopState = ArrayList<Int>()

	}

	class Tenant(private val value: String) : ThreadContextElement<String?> {

		override val key: CoroutineContext.Key<Tenant> get() = Key

		override fun updateThreadContext(context: CoroutineContext): String? {
			val previous = TENANT.get()
			TENANT.set(value)
			return previous
		}

		override fun restoreThreadContext(context: CoroutineContext, oldState: String?) {
			TENANT.set(oldState)
		}

		companion object Key : CoroutineContext.Key<Tenant>

	}

	@OffloadBlocking
	open class Offloaded(private val signals: Signals) {

		open suspend fun ignoreInterruptThenSuspend() {
			signals.started.countDown()
			awaitUninterruptibly(signals.release)
			try {
				awaitCancellation()
			}
			finally {
				signals.bodyCancelled.countDown()
			}
		}

		@OffloadBlocking(timeout = "200ms")
		open suspend fun timedIgnoreInterruptThenSuspend() {
			awaitUninterruptibly(signals.release)
			try {
				awaitCancellation()
			}
			finally {
				signals.bodyCancelled.countDown()
			}
		}

		@OffloadBlocking(timeout = "200ms")
		open suspend fun timedBlock(): String = block()

		open suspend fun block(): String {
			try {
				CountDownLatch(1).await()
			}
			catch (ex: InterruptedException) {
				signals.interrupted.countDown()
			}
			return "interrupted"
		}

		@OffloadBlocking(pool = "small")
		open suspend fun holdSmall() {
			signals.release.await(5, TimeUnit.SECONDS)
		}

		@OffloadBlocking(pool = "small")
		open suspend fun countSmall() {
			signals.counted.incrementAndGet()
		}

		@OffloadBlocking(pool = "small")
		open suspend fun concurrent(i: Int): Int {
			val now = signals.concurrent.incrementAndGet()
			signals.maxConcurrent.accumulateAndGet(now, ::maxOf)
			Thread.yield()
			signals.concurrent.decrementAndGet()
			return i
		}

		@OffloadBlocking(pool = "tiny")
		open suspend fun holdTiny() {
			signals.started.countDown()
			signals.release.await(5, TimeUnit.SECONDS)
		}

		@OffloadBlocking(pool = "tiny")
		open suspend fun seen(): String = coroutineContext[CoroutineName]?.name + "/" + TENANT.get()

		open suspend fun failAfterSuspending(): String {
			delay(1)
			throw IOException("after delay")
		}

		open suspend fun blockAfterResuming(gate: CompletableDeferred<Unit>): Boolean {
			signals.started.countDown()
			gate.await()
			return signals.release.await(5, TimeUnit.SECONDS)
		}

	}

	@RunOnLoop
	open class OnLoop(private val signals: Signals) {

		open suspend fun delays(times: Int): Int {
			repeat(times) {
				delay(1)
				check(Thread.currentThread().name.startsWith(LOOP_THREAD)) { Thread.currentThread().name }
				signals.loopState.add(it)
			}
			return signals.loopState.size
		}

		open suspend fun delayThenAwaitCancellation() {
			delay(1)
			check(Thread.currentThread().name.startsWith(LOOP_THREAD))
			signals.started.countDown()
			try {
				awaitCancellation()
			}
			finally {
				signals.bodyCancelled.countDown()
			}
		}

		open suspend fun thread(): String = Thread.currentThread().name

	}

	@RunOnLoop
	open class OnLoopCaller(private val onLoop: OnLoop) {

		open suspend fun callFromLoop(): String {
			check(Thread.currentThread().name.startsWith(LOOP_THREAD))
			return onLoop.thread()
		}

	}

	companion object {

		const val LOOP_THREAD = "bridge-loop-"

		val TENANT = ThreadLocal<String?>()

		fun stats(context: org.springframework.context.ApplicationContext, pool: String) =
			context.getBean(Offloader::class.java).pool(pool).stats()

		fun awaitUninterruptibly(latch: CountDownLatch) {
			var interrupted = false
			while (true) {
				try {
					if (latch.await(5, TimeUnit.SECONDS)) {
						break
					}
				}
				catch (ex: InterruptedException) {
					interrupted = true
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt()
			}
		}

	}

}
