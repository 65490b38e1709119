package io.gistgrep.common.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a webhook URL, which is user input, against server-side request forgery: https
 * only, no credentials, and every address the host resolves to must be public. The
 * addresses that passed are returned so the caller connects to exactly those (no second
 * lookup that DNS rebinding could answer differently).
 * <p>
 * Odd IPv4 spellings ({@code 2130706433}, {@code 0x7f000001}, {@code 127.1}) are read as
 * the C library's {@code inet_aton} reads them, since that is how many HTTP stacks would
 * connect to them.
 */
public final class WebhookUrls {

	/** Looks up a host name; {@link InetAddress#getAllByName} in production. */
	@FunctionalInterface
	public interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

	/** A URL that passed, with the addresses to connect to. */
	public record Checked(URI uri, String host, List<InetAddress> addresses) {

	}

	/** A URL that did not pass; the message says why, for the client. */
	public static final class NotAllowedException extends IllegalArgumentException {

		NotAllowedException(String message) {
			super(message);
		}

	}

	private final Resolver resolver;

	private final boolean allowPrivate;

	/**
	 * @param allowPrivate lift the address and scheme rules (tests and local development
	 * only)
	 */
	public WebhookUrls(Resolver resolver, boolean allowPrivate) {
		this.resolver = resolver;
		this.allowPrivate = allowPrivate;
	}

	public static WebhookUrls usingDns(boolean allowPrivate) {
		return new WebhookUrls(InetAddress::getAllByName, allowPrivate);
	}

	public Checked check(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new NotAllowedException("webhook.url is not a valid URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("https") && !(this.allowPrivate && scheme.equals("http"))) {
			throw new NotAllowedException("webhook.url must be an https URL");
		}
		if (uri.getRawUserInfo() != null) {
			throw new NotAllowedException("webhook.url must not contain credentials");
		}
		String host = uri.getHost();
		if (host == null || host.isEmpty()) {
			throw new NotAllowedException("webhook.url must name a host");
		}
		List<InetAddress> addresses = resolve(host);
		if (!this.allowPrivate) {
			for (InetAddress address : addresses) {
				if (!isPublic(address)) {
					throw new NotAllowedException(
							"webhook.url must reach a public address, but " + host + " is " + address.getHostAddress());
				}
			}
		}
		return new Checked(uri, host, addresses);
	}

	private List<InetAddress> resolve(String host) {
		try {
			if (host.startsWith("[") && host.endsWith("]")) {
				return List.of(InetAddress.getByName(host.substring(1, host.length() - 1)));
			}
			Optional<byte[]> ipv4 = parseIpv4(host);
			if (ipv4.isPresent()) {
				return List.of(InetAddress.getByAddress(host, ipv4.get()));
			}
			InetAddress[] found = this.resolver.resolve(host);
			if (found.length == 0) {
				throw new UnknownHostException(host);
			}
			return List.of(found);
		}
		catch (UnknownHostException ex) {
			throw new NotAllowedException("webhook.url's host " + host + " does not resolve");
		}
	}

	/**
	 * Reads {@code host} as {@code inet_aton} would: one to four parts, each decimal,
	 * octal (leading 0) or hexadecimal (0x), the last filling the remaining bytes.
	 */
	static Optional<byte[]> parseIpv4(String host) {
		String[] parts = host.split("\\.", -1);
		if (parts.length < 1 || parts.length > 4) {
			return Optional.empty();
		}
		long[] values = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			Optional<Long> value = parseNumber(parts[i]);
			if (value.isEmpty()) {
				return Optional.empty();
			}
			values[i] = value.get();
		}
		long address = 0;
		for (int i = 0; i < values.length - 1; i++) {
			if (values[i] > 255) {
				return Optional.empty();
			}
			address |= values[i] << (24 - 8 * i);
		}
		long last = values[values.length - 1];
		if (last >= (1L << (8 * (5 - values.length)))) {
			return Optional.empty();
		}
		address |= last;
		return Optional.of(new byte[] { (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8),
				(byte) address });
	}

	private static Optional<Long> parseNumber(String part) {
		if (part.isEmpty() || part.length() > 12) {
			return Optional.empty();
		}
		String lower = part.toLowerCase(Locale.ROOT);
		int radix = 10;
		String digits = lower;
		if (lower.startsWith("0x")) {
			radix = 16;
			digits = lower.substring(2);
			if (digits.isEmpty()) {
				return Optional.of(0L);
			}
		}
		else if (lower.length() > 1 && lower.startsWith("0")) {
			radix = 8;
			digits = lower.substring(1);
		}
		for (char c : digits.toCharArray()) {
			if (Character.digit(c, radix) < 0) {
				return Optional.empty();
			}
		}
		return Optional.of(Long.parseLong(digits, radix));
	}

	/**
	 * Whether an address is on the public internet (not loopback, private, link-local,
	 * ...).
	 */
	public static boolean isPublic(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		byte[] b = address.getAddress();
		if (address instanceof Inet4Address) {
			return isPublicIpv4(b);
		}
		if (address instanceof Inet6Address) {
			return isPublicIpv6(b);
		}
		return false;
	}

	private static boolean isPublicIpv4(byte[] b) {
		int a0 = b[0] & 0xff;
		int a1 = b[1] & 0xff;
		int a2 = b[2] & 0xff;
		return !(a0 == 0 // "this network"
				|| a0 == 10 || a0 == 127 // private, loopback
				|| (a0 == 100 && (a1 & 0xc0) == 64) // CGNAT 100.64/10
				|| (a0 == 169 && a1 == 254) // link-local, cloud metadata
				|| (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168) // private
				|| (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF assignments,
																	// documentation
				|| (a0 == 198 && (a1 & 0xfe) == 18) // benchmarking 198.18/15
				|| (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113) // documentation
				|| a0 >= 224); // multicast, reserved, broadcast
	}

	private static boolean isPublicIpv6(byte[] b) {
		if ((b[0] & 0xfe) == 0xfc) {
			return false; // unique local fc00::/7
		}
		if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
			return false; // site-local fec0::/10 (deprecated)
		}
		if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
			return false; // documentation 2001:db8::/32
		}
		boolean firstTenZero = true;
		for (int i = 0; i < 10; i++) {
			firstTenZero &= b[i] == 0;
		}
		if (firstTenZero && ((b[10] == 0 && b[11] == 0) || ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff))) {
			// IPv4-compatible ::/96 and IPv4-mapped ::ffff:0:0/96: judge the IPv4 inside
			return isPublicIpv4(new byte[] { b[12], b[13], b[14], b[15] }) && !(b[10] == 0 && b[11] == 0);
		}
		if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
			return isPublicIpv4(new byte[] { b[12], b[13], b[14], b[15] }); // NAT64
																			// 64:ff9b::/96
		}
		if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
			return isPublicIpv4(new byte[] { b[2], b[3], b[4], b[5] }); // 6to4 2002::/16
		}
		return true;
	}

}
