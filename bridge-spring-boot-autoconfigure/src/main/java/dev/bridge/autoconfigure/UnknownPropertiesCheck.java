/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Makes a key under {@code bridge.} that Bridge does not know stop startup instead of
 * being ignored: {@code bridge.offload.pools.jdbc.max-concurency=4} must not leave that
 * bulkhead at the default limit. It wraps the handler Boot binds {@link BridgeProperties}
 * with, records every name bound under {@code bridge}, and once the binding ends, looks
 * through the property sources for names under {@code bridge} that were not bound; each
 * is reported with where it came from and the closest known key.
 * <p>
 * Environment variables are checked only below Bridge's own sections
 * ({@code BRIDGE_LOOP_*}, {@code BRIDGE_OFFLOAD_*}, ...): a variable such as
 * {@code BRIDGE_HOME} belongs to other software more often than not.
 */
final class UnknownPropertiesCheck implements ConfigurationPropertiesBindHandlerAdvisor {

	static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("bridge");

	/** Every key Bridge knows, with {@code *} for a pool name. */
	static final Set<String> KNOWN_KEYS = knownKeys("bridge", BridgeProperties.class);

	@Override
	public BindHandler apply(BindHandler bindHandler) {
		return new Handler(bindHandler);
	}

	/**
	 * The closest known key to {@code unknown}, if one is close enough to be a typo.
	 * @param unknown the unknown key, in its canonical (dashed, lower-case) form
	 * @return the suggestion, with the pool name filled in, or {@code null}
	 */
	static @Nullable String closestKnownKey(String unknown) {
		String[] parts = unknown.split("\\.");
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String known : KNOWN_KEYS) {
			String[] knownParts = known.split("\\.");
			if (knownParts.length != parts.length) {
				continue;
			}
			StringBuilder candidate = new StringBuilder();
			for (int i = 0; i < knownParts.length; i++) {
				candidate.append((i > 0) ? "." : "").append("*".equals(knownParts[i]) ? parts[i] : knownParts[i]);
			}
			int distance = distance(unknown, candidate.toString());
			if (distance < bestDistance) {
				bestDistance = distance;
				best = candidate.toString();
			}
		}
		String lastPart = parts[parts.length - 1];
		return (best != null && bestDistance <= Math.max(2, lastPart.length() / 3)) ? best : null;
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/**
	 * The keys of a properties class: its readable bean properties in dashed form, nested
	 * classes of {@link BridgeProperties} recursed into, a map's values under {@code *}.
	 */
	private static Set<String> knownKeys(String prefix, Class<?> type) {
		Set<String> keys = new TreeSet<>();
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			Method getter = property.getReadMethod();
			if (getter == null || getter.getDeclaringClass() == Object.class) {
				continue;
			}
			String key = prefix + "." + dashed(property.getName());
			Class<?> valueType = property.getPropertyType();
			if (Map.class.isAssignableFrom(valueType)
					&& getter.getGenericReturnType() instanceof ParameterizedType mapType
					&& mapType.getActualTypeArguments()[1] instanceof Class<?> entryType) {
				keys.addAll(knownKeys(key + ".*", entryType));
			}
			else if (valueType.getDeclaringClass() == BridgeProperties.class) {
				keys.addAll(knownKeys(key, valueType));
			}
			else {
				keys.add(key);
			}
		}
		return keys;
	}

	private static String dashed(String camelCase) {
		StringBuilder dashed = new StringBuilder();
		for (char c : camelCase.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		return dashed.toString();
	}

	/**
	 * Records the names bound under {@code bridge} and checks for unbound ones when the
	 * binding of {@code bridge} ends.
	 */
	private static final class Handler extends AbstractBindHandler {

		private final Set<ConfigurationPropertyName> bound = ConcurrentHashMap.newKeySet();

		Handler(BindHandler parent) {
			super(parent);
		}

		@Override
		public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Object result) {
			if (ROOT.isAncestorOf(name)) {
				this.bound.add(name);
			}
			return super.onSuccess(name, target, context, result);
		}

		@Override
		public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				@Nullable Object result) throws Exception {
			if (context.getDepth() == 0 && name.equals(ROOT)) {
				Map<String, @Nullable Origin> unknown = unknown(context);
				if (!unknown.isEmpty()) {
					throw new UnknownBridgePropertiesException(unknown);
				}
			}
			super.onFinish(name, target, context, result);
		}

		private Map<String, @Nullable Origin> unknown(BindContext context) {
			Map<String, @Nullable Origin> unknown = new LinkedHashMap<>();
			for (ConfigurationPropertySource source : context.getSources()) {
				if (!(source instanceof IterableConfigurationPropertySource iterable)) {
					continue;
				}
				boolean environment = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
				List<ConfigurationPropertyName> names = new ArrayList<>();
				iterable.filter(ROOT::isAncestorOf).forEach(names::add);
				names.sort(Comparator.comparing(ConfigurationPropertyName::toString));
				for (ConfigurationPropertyName name : names) {
					if (this.bound.contains(name) || (environment && !inKnownSection(name))) {
						continue;
					}
					ConfigurationProperty property = source.getConfigurationProperty(name);
					unknown.putIfAbsent(name.toString(), (property != null) ? property.getOrigin() : null);
				}
			}
			return unknown;
		}

		private static boolean inKnownSection(ConfigurationPropertyName name) {
			String section = "bridge." + name.getElement(1, ConfigurationPropertyName.Form.DASHED);
			return KNOWN_KEYS.stream().anyMatch((key) -> key.equals(section) || key.startsWith(section + "."));
		}

	}

}
