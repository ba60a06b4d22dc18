/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks.http;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring MVC application on Tomcat with {@code spring.threads.virtual.enabled=true}
 * (what a user would pick instead of Bridge): {@code /mvc} calls the slow operation
 * directly on the request thread, a virtual thread on Java 21+. Port 18082 unless
 * {@code --server.port} says otherwise.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class MvcHttpApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(MvcHttpApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		Map<String, Object> properties = HttpDefaults.properties(18082);
		properties.put("spring.threads.virtual.enabled", "true");
		application.setDefaultProperties(properties);
		application.run(args);
	}

	/**
	 * The blocking endpoint (a member component of the application class).
	 */
	@RestController
	static class Endpoint {

		@GetMapping("/mvc")
		String mvc() {
			return SlowOperation.call();
		}

	}

}
