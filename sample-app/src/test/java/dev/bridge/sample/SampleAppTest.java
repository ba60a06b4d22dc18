/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.bridge.test.AutoConfigureBridgeTest;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;

/**
 * The whole sample application on a random port, with the slow database replaced by a
 * {@link GatedQueryDelay} and the scheduled report job held back so it cannot take pool
 * slots behind a test's back. Bridge's test support records where calls ran and fails a
 * test that leaves Bridge work running. Every test class uses exactly this configuration,
 * so they all share one cached application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.report.initial-delay=1h", "bridge.offload.pools.jdbc.timeout=30s" })
@AutoConfigureWebTestClient
@AutoConfigureBridgeTest
@Import(GatedQueryDelay.Configuration.class)
public @interface SampleAppTest {

}
