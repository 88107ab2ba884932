package dev.rewind.repo.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a server that, when told to, drops connections in the middle
 * of a request: after {@code afterBytes} bytes of a request have gone through, it closes both sides,
 * as a network that fails mid-upload does. Real sockets, real resets.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private volatile int afterBytes = Integer.MAX_VALUE;

    public CuttingProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "cutting-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Drops the next {@code count} connections that carry more than {@code afterBytes} bytes of request. */
    public void cut(int count, int afterBytes) {
        this.afterBytes = afterBytes;
        cutsLeft.set(count);
    }

    /** How many connections were dropped so far. */
    public int cuts() {
        return cut.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            long sent = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (request && sent + n > afterBytes && cutsLeft.getAndUpdate(c -> Math.max(0, c - 1)) > 0) {
                        int part = (int) Math.max(0, Math.min(n, afterBytes - sent));
                        out.write(buf, 0, part);
                        out.flush();
                        cut.incrementAndGet();
                        from.setSoLinger(true, 0);   // a reset, not a polite close
                        from.close();
                        to.close();
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    sent += n;
                }
            } catch (IOException e) {
                // the other side went away
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closed already
                }
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
