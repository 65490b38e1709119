package io.gistgrep.messaging;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingConnectionDetails;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OTLP span exporter, with Spring Boot's tracing auto-configuration as the apps have
 * it, against a collector stand-in on loopback that records what is posted to it.
 */
class TracingExportTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class))
		.withUserConfiguration(TracingExport.class)
		.withPropertyValues("management.tracing.sampling.probability=1.0");

	private final List<String> posted = new CopyOnWriteArrayList<>();

	private HttpServer collector;

	@BeforeEach
	void startCollector() throws IOException {
		this.collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.collector.createContext("/", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			this.posted.add(exchange.getRequestURI().getPath() + " " + new String(body, StandardCharsets.ISO_8859_1));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.collector.start();
	}

	@AfterEach
	void stopCollector() {
		this.collector.stop(0);
	}

	@Test
	void withoutAnEndpointThereIsNoExporterAndNothingIsSent() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(Tracer.class)
				.doesNotHaveBean(OtlpTracingConnectionDetails.class)
				.doesNotHaveBean(SpanExporter.class);
			endASpanAndFlush(context, "gistgrep.test.unexported");
			assertThat(this.posted).isEmpty();
		});
	}

	@Test
	void anEmptyEndpointAsComposeAndTheChartPassAnUnsetVariableIsNoEndpoint() {
		this.runner.withPropertyValues("gistgrep.tracing.otlp-endpoint=").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(SpanExporter.class);
			endASpanAndFlush(context, "gistgrep.test.unexported");
			assertThat(this.posted).isEmpty();
		});
	}

	@Test
	void withAnEndpointSpansArePostedToItOverOtlpHttp() {
		String endpoint = "http://127.0.0.1:" + this.collector.getAddress().getPort() + "/v1/traces";
		this.runner.withPropertyValues("gistgrep.tracing.otlp-endpoint=" + endpoint).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(OtlpHttpSpanExporter.class);
			endASpanAndFlush(context, "gistgrep.test.exported");
			assertThat(this.posted).singleElement()
				.asString()
				.startsWith("/v1/traces ")
				.contains("gistgrep.test.exported");
		});
	}

	@Test
	void spansNamingAWarmUpsQueueAreNotExportedAndOthersAreEvenWithTheNameElsewhere() {
		String endpoint = "http://127.0.0.1:" + this.collector.getAddress().getPort() + "/v1/traces";
		this.runner.withPropertyValues("gistgrep.tracing.otlp-endpoint=" + endpoint)
			.withBean(SpanExportingPredicate.class, () -> new MessagingConfiguration().warmupUntraced())
			.run((context) -> {
				Tracer tracer = context.getBean(Tracer.class);
				tracer.nextSpan()
					.name("gistgrep.test.warmup")
					.tag("messaging.destination.name", BrokerExercise.QUEUE_PREFIX + "scans.1")
					.start()
					.end();
				// The name in a tag that names no queue (an error's message, say).
				tracer.nextSpan()
					.name("gistgrep.test.job")
					.tag("error", "no queue " + BrokerExercise.QUEUE_PREFIX + "scans.1")
					.start()
					.end();
				endASpanAndFlush(context, "gistgrep.test.other");
				assertThat(String.join("", this.posted)).contains("gistgrep.test.job", "gistgrep.test.other")
					.doesNotContain("gistgrep.test.warmup");
			});
	}

	private static void endASpanAndFlush(AssertableApplicationContext context, String name) {
		Span span = context.getBean(Tracer.class).nextSpan().name(name).start();
		span.end();
		assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
			.isTrue();
	}

}
