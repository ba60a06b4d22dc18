/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop

import dev.bridge.annotation.OffloadBlocking
import dev.bridge.annotation.RunOnLoop
import dev.bridge.autoconfigure.BridgeAutoConfiguration
import java.io.IOException
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.reactor.ReactorContext
import kotlinx.coroutines.reactor.asCoroutineContext
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.slf4j.MDCContext
import kotlinx.coroutines.withContext
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatExceptionOfType
import org.junit.jupiter.api.Test
import org.slf4j.MDC
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import reactor.util.context.Context

/**
 * Tests for Kotlin `suspend` functions and `Flow` under `@OffloadBlocking` and
 * `@RunOnLoop`: where the body runs, that the caller suspends instead of blocking its
 * dispatcher, error transparency, cancellation and the caller's context.
 */
class SuspendingFunctionRoutingTests {

	private val contextRunner = ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration::class.java, BridgeAutoConfiguration::class.java,
			BridgeAspectsAutoConfiguration::class.java))
		.withBean(Latches::class.java)
		.withBean(OffloadingService::class.java)
		.withBean(LoopService::class.java)

	@Test
	fun suspendFunctionsRunTheirBodyOnThePoolAndOnTheLoop() {
		contextRunner.run { context ->
			runBlocking {
				assertThat(context.getBean(OffloadingService::class.java).thread()).startsWith(POOL_THREAD)
				assertThat(context.getBean(LoopService::class.java).thread()).startsWith(LOOP_THREAD)
				assertThat(context.getBean(OffloadingService::class.java).nothing()).isEqualTo(Unit)
			}
		}
	}

	@Test
	fun loopBodiesResumeOnTheLoopAfterSuspending() {
		contextRunner.run { context ->
			runBlocking {
				assertThat(context.getBean(LoopService::class.java).hopAndReturn())
					.allMatch { it.startsWith(LOOP_THREAD) }
					.hasSize(2)
			}
		}
	}

	@Test
	fun callerSuspendsInsteadOfBlockingItsDispatcher() {
		contextRunner.run { context ->
			val service = context.getBean(OffloadingService::class.java)
			val latches = context.getBean(Latches::class.java)
			// runBlocking's one thread: the release below runs only if the first call
			// suspended it rather than blocked it.
			runBlocking {
				val waiting = async { service.awaitRelease() }
				launch {
					assertThat(latches.started.await(5, TimeUnit.SECONDS)).isTrue()
					latches.release.countDown()
				}
				assertThat(waiting.await()).isTrue()
			}
		}
	}

	@Test
	fun exceptionsReachTheCallerUnwrapped() {
		contextRunner.run { context ->
			assertThatExceptionOfType(IOException::class.java)
				.isThrownBy { runBlocking { context.getBean(OffloadingService::class.java).failing() } }
				.withMessage("suspend failed")
			assertThatExceptionOfType(IOException::class.java)
				.isThrownBy { runBlocking { context.getBean(LoopService::class.java).failing() } }
				.withMessage("loop failed")
		}
	}

	@Test
	fun cancellingTheCoroutineInterruptsTheOffloadedBody() {
		contextRunner.run { context ->
			val service = context.getBean(OffloadingService::class.java)
			val latches = context.getBean(Latches::class.java)
			runBlocking {
				val call = launch(start = CoroutineStart.UNDISPATCHED) { service.blockUntilInterrupted() }
				assertThat(latches.started.await(5, TimeUnit.SECONDS)).isTrue()
				call.cancelAndJoin()
				assertThat(latches.interrupted.await(5, TimeUnit.SECONDS)).isTrue()
			}
		}
	}

	@Test
	fun cancellingTheCoroutineCancelsASuspendedLoopBody() {
		contextRunner.run { context ->
			val service = context.getBean(LoopService::class.java)
			val latches = context.getBean(Latches::class.java)
			runBlocking {
				val call = launch(start = CoroutineStart.UNDISPATCHED) { service.suspendUntilCancelled() }
				assertThat(latches.started.await(5, TimeUnit.SECONDS)).isTrue()
				call.cancelAndJoin()
				assertThat(latches.interrupted.await(5, TimeUnit.SECONDS)).isTrue()
			}
		}
	}

	@Test
	fun callersMdcAndReactorContextReachTheBody() {
		contextRunner.run { context ->
			val offloading = context.getBean(OffloadingService::class.java)
			val loop = context.getBean(LoopService::class.java)
			runBlocking(MDCContext(mapOf("request" to "k-1")) + Context.of("tenant", "t-1").asCoroutineContext()) {
				assertThat(offloading.context()).isEqualTo("k-1/t-1")
				assertThat(loop.context()).isEqualTo("k-1/t-1")
			}
			assertThat(MDC.get("request")).isNull()
		}
	}

	@Test
	fun flowsAreCollectedOnThePoolAndOnTheLoop() {
		contextRunner.run { context ->
			val offloading = context.getBean(OffloadingService::class.java)
			runBlocking {
				assertThat(offloading.flow().toList()).containsExactly("created on pool: true", "second")
				assertThat(offloading.threadsFlow().toList()).hasSize(2).allMatch { it.startsWith(POOL_THREAD) }
				assertThat(offloading.suspendingFlow().toList()).hasSize(2).allMatch { it.startsWith(POOL_THREAD) }
				assertThat(context.getBean(LoopService::class.java).flow().toList()).hasSize(2)
					.allMatch { it.startsWith(LOOP_THREAD) }
			}
		}
	}

	class Latches {

		val started = CountDownLatch(1)

		val release = CountDownLatch(1)

		val interrupted = CountDownLatch(1)

	}

	@OffloadBlocking
	open class OffloadingService(private val latches: Latches) {

		open suspend fun thread(): String = Thread.currentThread().name

		open suspend fun nothing() {
			check(Thread.currentThread().name.startsWith(POOL_THREAD))
		}

		open suspend fun awaitRelease(): Boolean {
			latches.started.countDown()
			return latches.release.await(5, TimeUnit.SECONDS)
		}

		open suspend fun failing(): String = throw IOException("suspend failed")

		open suspend fun blockUntilInterrupted(): String {
			latches.started.countDown()
			try {
				CountDownLatch(1).await()
			}
			catch (ex: InterruptedException) {
				latches.interrupted.countDown()
			}
			return "interrupted"
		}

		open suspend fun context(): String = describeContext()

		open fun flow(): Flow<String> {
			val onPool = Thread.currentThread().name.startsWith(POOL_THREAD)
			return flow {
				emit("created on pool: $onPool")
				emit("second")
			}
		}

		open fun threadsFlow(): Flow<String> = flow {
			emit(Thread.currentThread().name)
			emit(Thread.currentThread().name)
		}

		open suspend fun suspendingFlow(): Flow<String> = flow {
			emit(Thread.currentThread().name)
			emit(Thread.currentThread().name)
		}

	}

	@RunOnLoop
	open class LoopService(private val latches: Latches) {

		open suspend fun suspendUntilCancelled() {
			latches.started.countDown()
			try {
				awaitCancellation()
			}
			finally {
				latches.interrupted.countDown()
			}
		}

		open suspend fun thread(): String = Thread.currentThread().name

		open suspend fun failing(): String = throw IOException("loop failed")

		open suspend fun hopAndReturn(): List<String> {
			val before = Thread.currentThread().name
			val elsewhere = withContext(Dispatchers.Default) { Thread.currentThread().name }
			check(!elsewhere.startsWith(LOOP_THREAD))
			return listOf(before, Thread.currentThread().name)
		}

		open suspend fun context(): String = describeContext()

		open fun flow(): Flow<String> = flow {
			emit(Thread.currentThread().name)
			emit(Thread.currentThread().name)
		}

	}

	companion object {

		const val POOL_THREAD = "bridge-offload-default-"

		const val LOOP_THREAD = "bridge-loop-"

		suspend fun describeContext(): String {
			val reactor = coroutineContext[ReactorContext]?.context
			return MDC.get("request") + "/" + reactor?.getOrDefault("tenant", "none")
		}

	}

}
