package org.ntklab.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder on loopback that a test can cut and restore, to make a server unreachable:
 * {@link #cut()} closes every open connection and closes new ones as soon as they are accepted
 * (clients see a broken or refused connection at once, not a hang); {@link #restore()} forwards
 * again. Plain blocking sockets, two threads per connection.
 */
public final class TcpProxy implements AutoCloseable {

    private final String host;
    private final int port;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean open = true;

    /** Forwards a new loopback port to {@code host:port}. */
    public TcpProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Breaks every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        open = false;
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Forwards new connections again. */
    public void restore() {
        open = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!open) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket(host, port);
                sockets.add(client);
                sockets.add(upstream);
                threads.execute(() -> pipe(client, upstream));
                threads.execute(() -> pipe(upstream, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the connection was cut or closed by one side
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
        threads.shutdownNow();
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
