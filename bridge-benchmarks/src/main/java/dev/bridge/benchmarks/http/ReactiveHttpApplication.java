/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks.http;

import java.util.Map;

import dev.bridge.annotation.OffloadBlocking;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The WebFlux application on Netty, serving the endpoint four ways: {@code /bridge}
 * through an {@code @OffloadBlocking} bean (virtual threads on Java 21+),
 * {@code /bridge-platform} through the same on a pool of 256 platform threads,
 * {@code /elastic} with hand-written {@code subscribeOn(boundedElastic())}, and
 * {@code /event-loop} blocking Netty's event loop directly (the naive mistake). Port
 * 18081 unless {@code --server.port} says otherwise.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(
		excludeName = "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration")
public class ReactiveHttpApplication {

	@Bean
	OffloadedSlowOperation offloadedSlowOperation() {
		return new OffloadedSlowOperation();
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ReactiveHttpApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		Map<String, Object> properties = HttpDefaults.properties(18081);
		properties.put("bridge.offload.pools.platform.threads", "platform");
		application.setDefaultProperties(properties);
		application.run(args);
	}

	/**
	 * The slow operation behind Bridge's annotation, on the default pool and on a pool of
	 * platform threads.
	 */
	static class OffloadedSlowOperation {

		@OffloadBlocking
		public Mono<String> call() {
			return Mono.just(SlowOperation.call());
		}

		@OffloadBlocking(pool = "platform")
		public Mono<String> callOnPlatformThreads() {
			return Mono.just(SlowOperation.call());
		}

	}

	/**
	 * The three reactive endpoints (a member component of the application class).
	 */
	@RestController
	static class Endpoints {

		private final OffloadedSlowOperation offloaded;

		Endpoints(OffloadedSlowOperation offloaded) {
			this.offloaded = offloaded;
		}

		@GetMapping("/bridge")
		Mono<String> bridge() {
			return this.offloaded.call();
		}

		@GetMapping("/bridge-platform")
		Mono<String> bridgeOnPlatformThreads() {
			return this.offloaded.callOnPlatformThreads();
		}

		@GetMapping("/elastic")
		Mono<String> elastic() {
			return Mono.fromCallable(SlowOperation::call).subscribeOn(Schedulers.boundedElastic());
		}

		@GetMapping("/event-loop")
		Mono<String> eventLoop() {
			return Mono.just(SlowOperation.call());
		}

	}

}
