package io.gistgrep.worker.github;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body read into bytes that fails as soon as more than a cap has arrived, with or
 * without a {@code content-length}; a {@code content-length} over the cap fails before
 * any of the body is read. Either way the exchange is cancelled, so the rest is never
 * downloaded. Written by hand: the JDK's {@code BodySubscribers} have no size limit, and
 * {@code ofByteArray()} reads everything before the size can be checked.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

	/** The body was over the cap. */
	static final class TooLarge extends IOException {

		TooLarge(long cap) {
			super("body is larger than " + cap + " bytes");
		}

	}

	private final long cap;

	private final boolean refuse;

	private final CompletableFuture<byte[]> result = new CompletableFuture<>();

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private long received;

	private Flow.Subscription subscription;

	private CappedBody(long cap, boolean refuse) {
		this.cap = cap;
		this.refuse = refuse;
	}

	static HttpResponse.BodyHandler<byte[]> handler(long cap) {
		return (info) -> new CappedBody(cap, info.headers().firstValueAsLong("content-length").orElse(-1) > cap);
	}

	/** Whether {@code failure}, or one of its causes, is a body over the cap. */
	static boolean tooLarge(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof TooLarge) {
				return true;
			}
		}
		return false;
	}

	@Override
	public CompletionStage<byte[]> getBody() {
		return this.result;
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		if (this.refuse) {
			subscription.cancel();
			this.result.completeExceptionally(new TooLarge(this.cap));
		}
		else {
			subscription.request(Long.MAX_VALUE);
		}
	}

	@Override
	public void onNext(List<ByteBuffer> items) {
		if (this.result.isDone()) {
			return;
		}
		for (ByteBuffer item : items) {
			this.received += item.remaining();
			if (this.received > this.cap) {
				this.subscription.cancel();
				this.result.completeExceptionally(new TooLarge(this.cap));
				return;
			}
			byte[] chunk = new byte[item.remaining()];
			item.get(chunk);
			this.bytes.writeBytes(chunk);
		}
	}

	@Override
	public void onError(Throwable failure) {
		this.result.completeExceptionally(failure);
	}

	@Override
	public void onComplete() {
		this.result.complete(this.bytes.toByteArray());
	}

}
