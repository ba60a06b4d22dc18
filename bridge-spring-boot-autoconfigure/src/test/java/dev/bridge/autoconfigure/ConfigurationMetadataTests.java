/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.StreamUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, item 3: the configuration metadata an IDE reads describes every key Bridge
 * knows, the pool keys included, with value hints and the defaults the README gives.
 */
class ConfigurationMetadataTests {

	@Test
	void everyKeyBridgeKnowsHasADescription() throws IOException {
		Map<String, Map<String, Object>> properties = properties();
		for (String key : UnknownPropertiesCheck.KNOWN_KEYS) {
			assertThat(properties).as("metadata of %s", key).containsKey(key);
			assertThat(properties.get(key).get("description")).as("description of %s", key)
				.asString()
				.isNotBlank()
				.endsWith(".");
		}
	}

	@Test
	void poolKeysAndThreadModesHaveHintsAndTheTimeoutDefaultReadsAsADuration() throws IOException {
		Map<String, Map<String, Object>> properties = properties();
		assertThat(properties.get("bridge.offload.timeout")).containsEntry("defaultValue", "0s");
		assertThat(hintValues("bridge.offload.threads")).containsExactly("auto", "virtual", "platform");
		assertThat(hintValues("bridge.offload.pools.*.threads")).containsExactly("auto", "virtual", "platform");
		assertThat(hintValues("bridge.offload.pools.keys")).contains("default", "jdbc");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> properties() throws IOException {
		return ((List<Map<String, Object>>) metadata().get("properties")).stream()
			.collect(Collectors.toMap((property) -> (String) property.get("name"), (property) -> property,
					(first, second) -> first));
	}

	@SuppressWarnings("unchecked")
	private static List<Object> hintValues(String name) throws IOException {
		return ((List<Map<String, Object>>) metadata().get("hints")).stream()
			.filter((hint) -> name.equals(hint.get("name")))
			.flatMap((hint) -> ((List<Map<String, Object>>) hint.get("values")).stream())
			.map((value) -> value.get("value"))
			.toList();
	}

	private static Map<String, Object> metadata() throws IOException {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return JsonParserFactory.getJsonParser().parseMap(StreamUtils.copyToString(in, StandardCharsets.UTF_8));
		}
	}

}
