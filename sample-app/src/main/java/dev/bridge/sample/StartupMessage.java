/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Logs the address of the dashboard once the application is ready, so the first thing a
 * new user sees in the console is where to point a browser.
 *
 * @since 0.1.0
 */
@Component
class StartupMessage implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(StartupMessage.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Environment environment = event.getApplicationContext().getEnvironment();
		String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
		logger.info("Bridge sample is running: open http://localhost:{}/ for the live dashboard", port);
	}

}
