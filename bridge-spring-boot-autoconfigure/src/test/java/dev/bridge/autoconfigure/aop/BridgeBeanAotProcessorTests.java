/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Issue 12, item 11: the methods Bridge routes are registered for reflection when an
 * application is processed ahead of time, and nothing else is.
 */
class BridgeBeanAotProcessorTests {

	@Test
	void routedMethodsAreRegisteredForInvocation() throws Exception {
		RuntimeHints hints = contribute(Repository.class);
		Method find = Repository.class.getMethod("find", long.class);
		Method onLoop = Repository.class.getMethod("onLoop");
		Method plain = Repository.class.getMethod("plain");
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(find)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(onLoop)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(plain)).rejects(hints);
	}

	@Test
	void beansWithoutRoutedMethodsContributeNothing() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(String.class));
		assertThat(new BridgeBeanAotProcessor().processAheadOfTime(RegisteredBean.of(beanFactory, "plain"))).isNull();
	}

	private static RuntimeHints contribute(Class<?> beanType) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("bean", new RootBeanDefinition(beanType));
		BeanRegistrationAotContribution contribution = new BridgeBeanAotProcessor()
			.processAheadOfTime(RegisteredBean.of(beanFactory, "bean"));
		assertThat(contribution).isNotNull();
		RuntimeHints hints = new RuntimeHints();
		GenerationContext generationContext = mock(GenerationContext.class);
		given(generationContext.getRuntimeHints()).willReturn(hints);
		contribution.applyTo(generationContext, null);
		return hints;
	}

	static class Repository {

		@OffloadBlocking(pool = "jdbc")
		public Mono<String> find(long id) {
			return Mono.just("order " + id);
		}

		@RunOnLoop
		public String onLoop() {
			return "loop";
		}

		public String plain() {
			return "plain";
		}

	}

}
