package dev.rewind.sandbox.server;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One client connection, as a command sees it.
 *
 * @param id the server's connection number (what {@code hello} reports as {@code connectionId})
 * @param local the address the client connected to (this server's side)
 * @param remote the client's address
 * @param channel the netty channel (mongo-java-server's backend keys per-connection state by it)
 */
public record Connection(long id, InetSocketAddress local, InetSocketAddress remote, Channel channel) {
    /** "host:port" of this server as the client reached it. */
    public String me() {
        return local.getAddress().getHostAddress() + ":" + local.getPort();
    }
}
