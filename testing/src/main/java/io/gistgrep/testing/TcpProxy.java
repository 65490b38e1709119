package io.gistgrep.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy inside the test JVM, between the apps and one of the machine's shared
 * services, so that a test can take the service away from its apps alone: {@link #cut()}
 * drops every open connection (as a restart of the service does),
 * {@link #refuse(boolean)} closes new connections at once (as a service that is down
 * does). The shared service itself is never touched, so other test runs are not
 * disturbed.
 * <p>
 * Written here because the maintained proxies (Toxiproxy) run as a separate server, which
 * this machine cannot pull as a container; this one is a few dozen lines of sockets on
 * virtual threads.
 *
 * <pre>
 * try (TcpProxy proxy = TcpProxy.to("127.0.0.1", 5432)) {
 *     // point the app at 127.0.0.1:proxy.port()
 *     proxy.refuse(true);
 *     proxy.cut();
 *     // ... the service is "down" for the app
 *     proxy.refuse(false);
 * }
 * </pre>
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong accepted = new AtomicLong();

	private volatile boolean refusing;

	private TcpProxy(ServerSocket server, String targetHost, int targetPort) {
		this.server = server;
		this.targetHost = targetHost;
		this.targetPort = targetPort;
	}

	/**
	 * Starts a proxy on an ephemeral port of 127.0.0.1 to {@code host:port}.
	 * @param host the service's host
	 * @param port the service's port
	 * @return the running proxy
	 */
	public static TcpProxy to(String host, int port) {
		try {
			ServerSocket server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
			TcpProxy proxy = new TcpProxy(server, host, port);
			proxy.threads.execute(proxy::accept);
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start a TCP proxy", ex);
		}
	}

	/** The port the apps connect to. */
	public int port() {
		return this.server.getLocalPort();
	}

	/** Connections accepted so far, refused ones included. */
	public long accepted() {
		return this.accepted.get();
	}

	/** Connections open through the proxy now. */
	public int openConnections() {
		return this.open.size() / 2;
	}

	/**
	 * While {@code refusing}, a new connection is closed as soon as it is accepted, so
	 * the app's driver fails to connect at once (as when the service is down).
	 */
	public void refuse(boolean refusing) {
		this.refusing = refusing;
	}

	/** Closes every open connection, as a restart of the service does. */
	public void cut() {
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
		this.open.clear();
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		cut();
		this.threads.shutdownNow();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return; // closed
			}
			this.accepted.incrementAndGet();
			if (this.refusing) {
				closeQuietly(client);
				continue;
			}
			this.threads.execute(() -> connect(client));
		}
	}

	private void connect(Socket client) {
		Socket upstream = new Socket();
		try {
			upstream.connect(new InetSocketAddress(this.targetHost, this.targetPort), 2000);
			client.setTcpNoDelay(true);
			upstream.setTcpNoDelay(true);
		}
		catch (IOException ex) {
			closeQuietly(client);
			closeQuietly(upstream);
			return;
		}
		this.open.add(client);
		this.open.add(upstream);
		this.threads.execute(() -> pipe(client, upstream));
		this.threads.execute(() -> pipe(upstream, client));
	}

	private void pipe(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (SocketException ex) {
			// one side closed or was cut: close the other below
		}
		catch (IOException ex) {
			// the same, reported differently
		}
		finally {
			this.open.remove(from);
			this.open.remove(to);
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing a socket that is already gone: nothing to record
		}
	}

}
