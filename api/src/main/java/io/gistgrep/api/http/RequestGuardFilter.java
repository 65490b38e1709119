package io.gistgrep.api.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import io.gistgrep.api.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns away, before any controller runs, what no controller can read: a body larger than
 * {@code gistgrep.http.max-request-body} ({@code 413}, whether its {@code Content-Length}
 * says so or a chunked body grows past it), and a query string whose percent-encoding
 * does not decode to UTF-8 ({@code 400}; Tomcat parses the parameters lazily and would
 * otherwise throw its {@link InvalidParameterException} in the middle of a controller).
 */
class RequestGuardFilter extends OncePerRequestFilter {

	private final long maxBody;

	private final ProblemWriter problems;

	RequestGuardFilter(HttpProperties properties, ProblemWriter problems) {
		this.maxBody = properties.maxRequestBody().toBytes();
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.maxBody) {
			this.problems.write(request, response, tooLarge());
			return;
		}
		try {
			request.getParameterMap();
		}
		catch (InvalidParameterException ex) {
			boolean large = ex.getErrorCode() == HttpStatus.PAYLOAD_TOO_LARGE.value();
			this.problems.write(request, response,
					large ? tooLarge()
							: Problems
								.badRequest("invalid-query", "Invalid query string",
										"The query string is not valid percent-encoded UTF-8.")
								.getBody());
			return;
		}
		chain.doFilter(new CappedRequest(request, this.maxBody), response);
	}

	private ProblemDetail tooLarge() {
		return Problems.payloadTooLarge(this.maxBody).getBody();
	}

	/** A request whose body stream fails once more than the cap has been read. */
	private static final class CappedRequest extends HttpServletRequestWrapper {

		private final long max;

		private @Nullable ServletInputStream stream;

		CappedRequest(HttpServletRequest request, long max) {
			super(request);
			this.max = max;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new CappedStream(super.getInputStream(), this.max);
			}
			return this.stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			Charset charset = StandardCharsets.UTF_8;
			String encoding = getCharacterEncoding();
			try {
				charset = (encoding != null) ? Charset.forName(encoding) : charset;
			}
			catch (IllegalArgumentException ex) {
				// an unknown charset: read as UTF-8, whose decoding then reports the
				// garbage
			}
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

	private static final class CappedStream extends ServletInputStream {

		private final ServletInputStream in;

		private final long max;

		private long read;

		CappedStream(ServletInputStream in, long max) {
			this.in = in;
			this.max = max;
		}

		@Override
		public int read() throws IOException {
			int b = this.in.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.in.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) {
			this.read += n;
			if (this.read > this.max) {
				throw Problems.payloadTooLarge(this.max);
			}
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

	}

}
