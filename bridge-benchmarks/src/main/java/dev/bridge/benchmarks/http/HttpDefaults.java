/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks.http;

import java.util.HashMap;
import java.util.Map;

/**
 * Default properties both HTTP applications share.
 */
final class HttpDefaults {

	private HttpDefaults() {
	}

	/**
	 * Loopback only, quiet logs, and the given port.
	 * @param port the default port
	 * @return a mutable map of properties
	 */
	static Map<String, Object> properties(int port) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("server.address", "127.0.0.1");
		properties.put("server.port", port);
		properties.put("logging.level.root", "warn");
		properties.put("logging.level.dev.bridge.benchmarks", "info");
		properties.put("spring.main.banner-mode", "off");
		return properties;
	}

}
